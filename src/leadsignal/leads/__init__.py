"""The agency's lead book: borrowers, their loans, import and segments."""
