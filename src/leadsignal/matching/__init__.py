"""Identity resolution: is this LinkedIn profile the borrower in our lead book?"""
