import Testing

@testable import MailFlowProbe

@Suite("Bounded fan-out")
struct FanOutBoundsTests {
  @Test func addressesPerHostAndInAllAreCapped() {
    let many = (1...120).map { "192.0.2.\($0)" }
    let first = RelayProbe.addressesToTry(many, alreadyTried: 0)
    #expect(first.tried.count == RelayProbe.maximumAddressesPerHost)
    #expect(first.left.count == 120 - RelayProbe.maximumAddressesPerHost)
    // Ten hosts of 120 addresses: 32 connections in all, not 1,200.
    var tried = 0
    var skipped: [(host: String, addresses: [String])] = []
    for host in 1...10 {
      let (kept, left) = RelayProbe.addressesToTry(many, alreadyTried: tried)
      tried += kept.count
      if !left.isEmpty { skipped.append(("mx\(host).example.", left)) }
    }
    #expect(tried == RelayProbe.maximumAddresses)
    let note = RelayProbe.notTriedNote(skipped)
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
