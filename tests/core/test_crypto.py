import pytest

from leadsignal.core.crypto import CryptoConfigError, DecryptionError, PiiCipher, new_key, parse_keyring


def test_round_trip_and_context_binding(cipher: PiiCipher) -> None:
    token = cipher.encrypt("123456789", context="tax_id")
    assert "123456789" not in token
    assert cipher.decrypt(token, context="tax_id") == "123456789"
    with pytest.raises(DecryptionError, match="authentication"):
        cipher.decrypt(token, context="loan_number")


def test_each_encryption_differs_but_blind_index_is_stable(cipher: PiiCipher) -> None:
    a = cipher.encrypt("x", context="dob")
    b = cipher.encrypt("x", context="dob")
    assert a != b
    assert cipher.blind_index(" 123 45 6789", context="tax_id") == cipher.blind_index("123456789", context="tax_id")
    assert cipher.blind_index("1", context="tax_id") != cipher.blind_index("1", context="loan_number")


def test_rotation_old_key_still_decrypts() -> None:
    old_key, new = new_key(), new_key()
    index = new_key()
    old = PiiCipher.from_specs(f"old:{old_key}", index)
    token = old.encrypt("secret", context="dob")
    rotated = PiiCipher.from_specs(f"new:{new},old:{old_key}", index)
    assert rotated.active_kid == "new"
    assert rotated.decrypt(token, context="dob") == "secret"
    assert rotated.key_id_of(rotated.encrypt("secret", context="dob")) == "new"
    removed = PiiCipher.from_specs(f"new:{new}", index)
    with pytest.raises(DecryptionError, match="not configured"):
        removed.decrypt(token, context="dob")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "no encryption keys"),
        ("nokid", "kid:base64key"),
        ("k1:c2hvcnQ", "32 bytes"),
        ("k-1:" + "A" * 43, "kid:base64key"),
    ],
)
def test_bad_keyrings_are_refused(spec: str, message: str) -> None:
    with pytest.raises(CryptoConfigError, match=message):
        parse_keyring(spec)
