"""The services of registration's mail: announcements, reminders."""
