#!/usr/bin/env python3
"""A proxy that adds a fixed delay each way, for the latency lab (no kernel netem here): every TCP chunk
and every UDP datagram is passed on DELAY ms after it arrived, in order. TCP's own handshake is not
delayed (the kernel completes it before the proxy sees the connection), so each connection is one round
trip faster than on a real network — for mailflow and posttls-finger alike. With a delay of 0 and
COUNT_FILE set, it is the scan check's connection counter.

    latency_proxy.py DELAY_MS tcp:LISTEN_ADDR:PORT:TARGET_ADDR:PORT ... udp:LISTEN_ADDR:PORT:TARGET_ADDR:PORT ...
"""
import asyncio
import json
import os
import sys
import time

LOG = open(os.environ["LATENCY_LOG"], "a") if os.environ.get("LATENCY_LOG") else None
START = time.monotonic()
# With COUNT_FILE set: the most TCP connections open at once through each listening address, written
# there (JSON) whenever it grows — what a server would see of a client's politeness.
COUNT_FILE = os.environ.get("COUNT_FILE")
OPEN, MOST = {}, {}


def counted(listen, change):
    OPEN[listen] = OPEN.get(listen, 0) + change
    if OPEN[listen] > MOST.get(listen, 0):
        MOST[listen] = OPEN[listen]
        with open(COUNT_FILE + ".tmp", "w") as f:
            json.dump(MOST, f)
        os.replace(COUNT_FILE + ".tmp", COUNT_FILE)


def log(*parts):
    """With LATENCY_LOG set: one line per event, milliseconds since the proxy started (to find what a
    probe does one after another)."""
    if LOG:
        LOG.write(f"{(time.monotonic() - START) * 1000:9.1f} " + " ".join(str(p) for p in parts) + "\n")
        LOG.flush()


def question(packet):
    """The name and type a DNS query asks for, for the log."""
    try:
        labels, index = [], 12
        while packet[index]:
            labels.append(packet[index + 1:index + 1 + packet[index]].decode())
            index += 1 + packet[index]
        return ".".join(labels) + " " + str(int.from_bytes(packet[index + 1:index + 3], "big"))
    except (IndexError, UnicodeDecodeError):
        return "?"


async def pump(reader, writer, delay, label="", ended=None):
    """Copies reader to writer, each chunk DELAY after it was read, keeping the order; calls ENDED as
    soon as the reader is done (before the delayed end is passed on)."""
    queue = asyncio.Queue()

    async def send():
        while True:
            due, data = await queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                try:
                    writer.write_eof()
                except (OSError, RuntimeError):
                    pass
                return
            writer.write(data)
            try:
                await writer.drain()
            except OSError:
                return

    sender = asyncio.create_task(send())
    try:
        while True:
            data = await reader.read(65536)
            log(label, len(data), data[:40] if data and data[:1] != b"\x16" and data[:1] != b"\x17" else "")
            queue.put_nowait((time.monotonic() + delay, data or None))
            if not data:
                break
    except OSError:
        queue.put_nowait((time.monotonic() + delay, None))
    if ended:
        ended()
    await sender


def tcp_proxy(listen, target_host, target_port, delay):
    async def handle(client_reader, client_writer):
        # Counted from the client's connect to the client's close as the proxy reads them (the delayed
        # forwarding of that close does not count: the client has let go of the connection by then).
        closed = []

        def client_closed():
            if COUNT_FILE and not closed:
                closed.append(True)
                counted(listen, -1)

        if COUNT_FILE:
            counted(listen, +1)
        try:
            server_reader, server_writer = await asyncio.open_connection(target_host, target_port)
        except OSError:
            client_writer.close()
            client_closed()
            return
        name = f"{target_host}:{target_port}"
        log("open", name)
        await asyncio.gather(pump(client_reader, server_writer, delay, "c->" + name, client_closed),
                             pump(server_reader, client_writer, delay, "s->" + name), return_exceptions=True)
        for writer in (client_writer, server_writer):
            writer.close()
        client_closed()
    return handle


class UDPFront(asyncio.DatagramProtocol):
    """Receives from clients; each client gets its own socket towards the target."""

    def __init__(self, target, delay):
        self.target, self.delay, self.backs = target, delay, {}

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, client):
        log("dns?", question(data))
        loop = asyncio.get_running_loop()
        loop.call_later(self.delay, lambda: asyncio.ensure_future(self.forward(data, client)))

    async def forward(self, data, client):
        back = self.backs.get(client)
        if back is None:
            loop = asyncio.get_running_loop()
            front = self

            class Back(asyncio.DatagramProtocol):
                def datagram_received(self, reply, _):
                    log("dns!", question(reply), len(reply))
                    loop.call_later(front.delay, lambda: front.transport.sendto(reply, client))

            back, _ = await loop.create_datagram_endpoint(Back, remote_addr=self.target)
            self.backs[client] = back
        back.sendto(data)


async def main(delay_ms, specs):
    delay = delay_ms / 1000
    loop = asyncio.get_running_loop()
    servers = []
    for spec in specs:
        kind, listen_host, listen_port, target_host, target_port = spec.split(":")
        if kind == "tcp":
            handler = tcp_proxy(f"{listen_host}:{listen_port}", target_host, int(target_port), delay)
            servers.append(await asyncio.start_server(handler, listen_host,
                                                      int(listen_port), reuse_address=True))
        else:
            await loop.create_datagram_endpoint(lambda t=(target_host, int(target_port)): UDPFront(t, delay),
                                                local_addr=(listen_host, int(listen_port)))
    print("latency proxy: up", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]), sys.argv[2:]))
