"""The organizers' registration desk in the admin: the registrations list and detail, their
filters and exports, the bulk actions, and copying an edition's registration setup."""
