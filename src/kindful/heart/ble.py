"""A heart-rate strap over Bluetooth LE, through bleak (the optional extra ``heart``).

The strap is found by the standard Heart Rate service (0x180D), or by its address, and its
Heart Rate Measurement (0x2A37) notifications are parsed as they come. bleak is asynchronous:
it runs on an event loop in a thread of its own, which hands the intervals over through a
queue, so the practice never waits for the radio. Whatever goes wrong there (no extra, no
BlueZ, no adapter, no permission, no strap, a strap that leaves) becomes one reason, said once.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from kindful.heart.measurement import (
    HEART_RATE_MEASUREMENT,
    HEART_RATE_SERVICE,
    BadPacket,
    parse_measurement,
)
from kindful.heart.sources import HeartUnavailable

SCAN_SECONDS = 10.0
EXTRA = "heart rhythm over Bluetooth needs the heart extra: pip install 'kindful[heart]'"

FindDevice = Callable[[str | None, float], Awaitable[Any]]
"""Find a strap: by address, or the first that offers the Heart Rate service; None if none."""
MakeClient = Callable[[Any, Callable[[Any], None]], Any]
"""Make a client for a device (an async context manager with ``start_notify``)."""


class BleSource:
    """Heartbeats from the first strap found, or from the one at ``address``."""

    kind = "ble"

    def __init__(
        self,
        address: str | None = None,
        *,
        find_device: FindDevice | None = None,
        make_client: MakeClient | None = None,
        scan_seconds: float = SCAN_SECONDS,
    ) -> None:
        self.address = address
        self._find_device = find_device
        self._make_client = make_client
        self._scan_seconds = scan_seconds
        self._beats: queue.SimpleQueue[tuple[float, ...]] = queue.SimpleQueue()
        self._failure: str | None = None
        self._name: str | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self.bad_packets = 0

    @property
    def name(self) -> str | None:
        """Give the strap's name once it is connected."""
        return self._name

    def open(self, now: float) -> None:
        if self._find_device is None or self._make_client is None:
            try:
                import bleak  # noqa: F401
            except ImportError:
                raise HeartUnavailable(EXTRA) from None
            self._find_device = self._find_device or _bleak_find
            self._make_client = self._make_client or _bleak_client
        self._thread = threading.Thread(target=self._run, name="kindful-heart", daemon=True)
        self._thread.start()
        self._ready.wait(2.0)  # the loop is up (not the strap): close() can reach it

    def take(self, now: float) -> list[float]:
        taken: list[float] = []
        with contextlib.suppress(queue.Empty):
            while True:
                taken.extend(self._beats.get_nowait())
        return taken

    def ended(self) -> str | None:
        return self._failure

    def close(self) -> None:
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(stop.set)
        if self._thread is not None:
            self._thread.join(5.0)
            self._thread = None

    def _run(self) -> None:
        from kindful.platforms import leave_stops_to_main_thread

        leave_stops_to_main_thread()
        try:
            asyncio.run(self._listen())
        except Exception as error:  # bleak's, D-Bus's, the OS's: one reason, said once
            self._failure = self._failure or _reason(error)
        finally:
            self._ready.set()
            self._failure = self._failure or "the strap disconnected"

    async def _listen(self) -> None:
        assert self._find_device is not None and self._make_client is not None
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._ready.set()
        device = await self._find_device(self.address, self._scan_seconds)
        if device is None:
            where = f" at {self.address}" if self.address else ""
            self._failure = f"no heart-rate strap found{where}"
            return
        stop = self._stop

        def lost(_client: Any) -> None:
            self._failure = "the strap disconnected"
            stop.set()

        async with self._make_client(device, lost) as client:
            self._name = str(getattr(device, "name", None) or getattr(device, "address", "strap"))
            await client.start_notify(HEART_RATE_MEASUREMENT, self._notified)
            await stop.wait()

    def _notified(self, _sender: Any, data: bytearray) -> None:
        try:
            rr = parse_measurement(bytes(data)).rr_ms
        except BadPacket:
            self.bad_packets += 1
            return
        if rr:
            self._beats.put(rr)


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, FileNotFoundError | ConnectionError):
        return f"Bluetooth is not available here (is BlueZ running?): {text}"
    if isinstance(error, PermissionError):
        return f"Bluetooth is not allowed for this user: {text}"
    return f"Bluetooth is not available here: {text}"


async def _bleak_find(address: str | None, seconds: float) -> Any:
    from bleak import BleakScanner

    if address:
        return await BleakScanner.find_device_by_address(address, timeout=seconds)

    def offers_heart_rate(_device: Any, advertisement: Any) -> bool:
        uuids = [u.lower() for u in (advertisement.service_uuids or [])]
        return HEART_RATE_SERVICE in uuids

    return await BleakScanner.find_device_by_filter(offers_heart_rate, timeout=seconds)


def _bleak_client(device: Any, lost: Callable[[Any], None]) -> Any:
    from bleak import BleakClient

    return BleakClient(device, disconnected_callback=lost)
