"""Booking codes: format, forgiving normalisation, keyed hashing."""

from __future__ import annotations

import re

import pytest

from portal.booking import codes

FORMAT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def test_new_codes_are_16_crockford_characters_in_four_groups():
    for _ in range(200):
        assert FORMAT.match(codes.new_code())


def test_new_codes_do_not_repeat():
    assert len({codes.new_code() for _ in range(2000)}) == 2000


@pytest.mark.parametrize(
    "typed",
    [
        "K7QM-4XRT-9PLA-2VDH".replace("L", "1"),
        "k7qm-4xrt-9p1a-2vdh",
        "K7QM4XRT9P1A2VDH",
        " k7qm 4xrt 9p1a 2vdh ",
        "K7QM–4XRT–9P1A–2VDH",  # en dashes from a word processor
        "K7QM-4XRT-9PLA-2VDH",  # L read as 1
        "K7QM-4XRT-9PIA-2VDH",  # I read as 1
    ],
)
def test_normalisation_forgives_case_separators_and_confusable_letters(typed):
    assert codes.normalise(typed) == "K7QM4XRT9P1A2VDH"


def test_letter_o_is_read_as_zero():
    assert codes.normalise("OOOO-0000-oooo-0000") == "0" * 16


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "K7QM-4XRT-9P1A",  # too short
        "K7QM-4XRT-9P1A-2VDH-A",  # too long
        "K7QM-4XRT-9P1A-2VDU",  # U is not in Crockford's alphabet
        "K7QM-4XRT-9P1A-2VD!",
        "K7QM-4XRT-9P1A-2VDÆ",
        "x" * 1000,
    ],
)
def test_malformed_codes_are_refused(bad):
    with pytest.raises(codes.MalformedCode):
        codes.normalise(bad)


def test_non_strings_are_refused():
    with pytest.raises(codes.MalformedCode):
        codes.normalise(None)


def test_hash_is_hmac_sha256_hex_of_the_normalised_code(app):
    digest = codes.code_hash("K7QM-4XRT-9P1A-2VDH")
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert codes.code_hash("k7qm4xrt9pla2vdh") == digest
    assert "K7QM" not in digest


def test_hash_depends_on_the_configured_key(app):
    before = codes.code_hash("K7QM-4XRT-9P1A-2VDH")
    app.config["BOOKING_CODE_KEY"] = "another key"
    assert codes.code_hash("K7QM-4XRT-9P1A-2VDH") != before


def test_code_from_seed_is_stable_and_well_formed(app):
    assert codes.code_from_seed("seed") == codes.code_from_seed("seed")
    assert codes.code_from_seed("seed") != codes.code_from_seed("other seed")
    assert FORMAT.match(codes.code_from_seed("seed"))


def test_format_groups_by_four():
    assert codes.format_code("K7QM4XRT9P1A2VDH") == "K7QM-4XRT-9P1A-2VDH"
