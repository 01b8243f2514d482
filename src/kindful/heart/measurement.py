"""The Heart Rate Measurement a strap sends (Bluetooth characteristic 0x2A37), read as data.

The packet's first byte is a set of flags (Bluetooth Heart Rate Service 1.0, section 3.1):

- bit 0: the heart rate is a 16-bit value (else 8-bit);
- bits 1-2: sensor contact: bit 2 says the strap reports contact, bit 1 that it has it;
- bit 3: an energy-expended field (16-bit, kJ) follows the heart rate;
- bit 4: RR intervals follow, each 16-bit in units of 1/1024 s, as many as fit.

All values are little-endian. Nothing here touches Bluetooth: the parser takes bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

HEART_RATE_SERVICE = "0000180d-0000-1000-8000-00805f9b34fb"
HEART_RATE_MEASUREMENT = "00002a37-0000-1000-8000-00805f9b34fb"

_HR_16_BIT = 0x01
_CONTACT_DETECTED = 0x02
_CONTACT_SUPPORTED = 0x04
_ENERGY = 0x08
_RR = 0x10
RR_UNIT_MS = 1000 / 1024  # one unit of an RR interval, in milliseconds


class BadPacket(ValueError):
    """The bytes are no Heart Rate Measurement: too short, or an RR field cut in half."""


@dataclass(frozen=True)
class Measurement:
    """One notification: the heart rate, the RR intervals it carried, and what else it said."""

    heart_rate: int  # beats a minute, as the strap counts them
    rr_ms: tuple[float, ...]  # beat-to-beat intervals in milliseconds, oldest first
    contact: bool | None  # None: the strap does not report skin contact
    energy_kj: int | None  # None: not in this packet


def parse_measurement(data: bytes | bytearray) -> Measurement:
    """Give the measurement in one 0x2A37 packet; raise ``BadPacket`` for bytes that are none."""
    if not data:
        raise BadPacket("an empty packet")
    flags = data[0]
    at = 1
    width = 2 if flags & _HR_16_BIT else 1
    if len(data) < at + width:
        raise BadPacket("the packet ends before its heart rate")
    heart_rate = int.from_bytes(data[at : at + width], "little")
    at += width
    energy = None
    if flags & _ENERGY:
        if len(data) < at + 2:
            raise BadPacket("the packet ends before its energy expended")
        energy = int.from_bytes(data[at : at + 2], "little")
        at += 2
    rr: tuple[float, ...] = ()
    if flags & _RR:
        rest = data[at:]
        if len(rest) % 2:
            raise BadPacket("an RR interval is cut in half")
        rr = tuple(
            int.from_bytes(rest[i : i + 2], "little") * RR_UNIT_MS for i in range(0, len(rest), 2)
        )
    contact = bool(flags & _CONTACT_DETECTED) if flags & _CONTACT_SUPPORTED else None
    return Measurement(heart_rate=heart_rate, rr_ms=rr, contact=contact, energy_kj=energy)
