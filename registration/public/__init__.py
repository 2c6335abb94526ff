"""What a participant sees of registration on the site: the registration page's views and
forms, links to it built from SITE_URL, and the seats panel on the programme's session pages."""
