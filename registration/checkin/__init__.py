"""Check-in at the door: the check-in service, and the admin's check-in and dashboard pages."""
