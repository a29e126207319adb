import Testing

@testable import MailFlowProbe

@Suite("Bounded fan-out")
struct FanOutBoundsTests {
  @Test func addressesPerHostAndInAllAreCapped() {
    // Ten hosts of 120 addresses: 32 connections in all, not 1,200 — and every host gets some.
    let shares = RelayProbe.addressShares(Array(repeating: 120, count: 10))
    #expect(shares.reduce(0, +) == RelayProbe.maximumAddresses)
    #expect(shares.allSatisfy { $0 >= 3 && $0 <= RelayProbe.maximumAddressesPerHost })
    #expect(RelayProbe.addressShares([120]) == [RelayProbe.maximumAddressesPerHost])
    #expect(RelayProbe.addressShares([1, 0, 40, 2]) == [1, 0, 8, 2])
    // Five hosts of eight: a host-by-host cap would leave the last one untested.
    #expect(RelayProbe.addressShares(Array(repeating: 8, count: 5)).allSatisfy { $0 >= 6 })
    let many = (1...120).map { "192.0.2.\($0)" }
    let note = RelayProbe.notTriedNote([("mx1.example.", Array(many.dropFirst(8))), ("mx10.example.", many)])
    #expect(
      note.hasPrefix("addresses not tried (at most 8 per MX host and 32 in all): mx1.example 192.0.2.9,"))
    #expect(note.contains("mx10.example 192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4, 192.0.2.5 and 115 more"))
  }

  @Test func connectionSlotsNeverExceedTheirLimit() async {
    let slots = ConnectionSlots(limit: 3)
    let peak = await withTaskGroup(of: Int.self) { group in
      for _ in 0..<20 {
        group.addTask {
          await slots.acquire()
          let open = await slots.connectionsOpen
          try? await Task.sleep(for: .milliseconds(5))
          await slots.release()
          return open
        }
      }
      return await group.reduce(0) { max($0, $1) }
    }
    #expect(peak <= 3)
    #expect(await slots.connectionsOpen == 0)
    #expect(ConnectionSlots.defaultLimit() >= 8 && ConnectionSlots.defaultLimit() <= 256)
  }
}
