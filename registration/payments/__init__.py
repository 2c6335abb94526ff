"""Payments: bank statement imports (bankfiles/ reads each format, services matches the
lines), the payment instructions a participant sees (selectors), the admin's payment pages."""
