"""The 报送 mail (.eml draft or SMTP) and the password kept in the system keyring."""
