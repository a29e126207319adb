/// An optional that is always written to JSON: `null` when absent, instead of the key being left out as
/// synthesized `Codable` does. Every report's documented keys stay present, so scripts can rely on them.
@propertyWrapper
public struct NullEncodable<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
  public var wrappedValue: Value?

  public init(wrappedValue: Value?) {
    self.wrappedValue = wrappedValue
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
  }
}

extension KeyedDecodingContainer {
  /// A missing key reads as `nil`, so a report written before a field existed still loads.
  public func decode<Value>(_ type: NullEncodable<Value>.Type, forKey key: Key) throws -> NullEncodable<Value>
  {
    try decodeIfPresent(type, forKey: key) ?? NullEncodable(wrappedValue: nil)
  }
}
