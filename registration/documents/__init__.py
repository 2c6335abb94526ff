"""Every document a registration prints: badges and their batches, visa letters (issued in the
admin, checked by their QR code), receipts and certificates: pdf/ modules, services, tasks,
the participant's downloads (views) and the organizers' pages (admin)."""
