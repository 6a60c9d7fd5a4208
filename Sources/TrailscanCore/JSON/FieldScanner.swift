import EventPatterns

/// Extracts, in one pass over a record's bytes, the values at the paths of a
/// `FieldTrie`: leaves for the pattern matcher (into `event`) and the core
/// fields the pipeline reads (into `core`, as byte ranges of the record).
///
/// The scanner is a recursive-descent reader over UTF-8 bytes. Members whose
/// key is not in the trie are skipped without decoding: strings by looking
/// for the closing quote, containers by matching brackets. Only values on a
/// path of interest are decoded, so the cost per record is one pass of byte
/// comparisons plus the work for the few fields extracted.
///
/// Every array entered on a path of interest gets a fresh array ID, and
/// leaves below it record their (array ID, index) positions. The matcher
/// uses them to keep the fields of one array element together.
///
/// Shape detection: the first key decides whether the object is read as an
/// EventBridge envelope (`version`, `id`, `detail-type`, ...) or as a bare
/// record. After the scan the guess is checked (an envelope has a string
/// `detail-type` and an object `detail`), and a wrong guess is scanned again
/// the other way.
struct FieldScanner {
    /// Deepest nesting of arrays and objects accepted in a record.
    static let maximumDepth = 512

    private static let servicePrefix: StaticString = "aws."
    private static let serviceDomain: StaticString = ".amazonaws.com"

    /// The kind of object a scan found.
    enum Shape: Equatable {
        case record
        case envelope
        /// A lookup-events item: its `CloudTrailEvent` member (the range of
        /// the string literal, quotes included) contains the record.
        case lookupEventsItem(stringStart: Int, stringEnd: Int)
    }

    /// A syntax error at a byte offset of the record.
    struct SyntaxError: Error {
        var offset: Int
        var message: String
    }

    /// A core field's value: the range of its raw bytes in the record
    /// (string contents without quotes) and its JSON type.
    struct CoreValue {
        var start: Int32 = 0
        var count: Int32 = -1
        var kind: FlatEvent.Kind = .null
        var hasEscapes = false

        var isPresent: Bool { count >= 0 }
    }

    let trie: FieldTrie
    private(set) var event = FlatEvent()
    private(set) var core: [CoreValue]

    private var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var index = 0
    private var depth = 0
    private var positions: [FlatEvent.ArrayPosition] = []
    private var nextArrayID: Int32 = 0
    private var scratch: [UInt8] = []

    private var sawDetailType = false
    private var sawDetailObject = false
    private var cloudTrailEvent: (start: Int, end: Int)?

    /// Predicted object keys. CloudTrail writes the members of its objects
    /// in a fixed order, so the key that follows a given key in an object of
    /// a given trie node is usually the one that followed it last time. A
    /// slot, found by hashing (node, slot of the previous member), remembers
    /// that key's bytes, its node and its trie child. A key is taken without
    /// scanning it for its end or looking it up when the node is the same,
    /// the bytes after the opening quote equal the stored ones and a quote
    /// follows. The child depends only on the node and the bytes, so a slot
    /// shared by two contexts can cost a lookup but never gives a wrong
    /// child. On the benchmark corpus the time spent in lookups fell by
    /// seven eighths. A key with escapes or longer than
    /// `predictedKeyCapacity` bytes is never predicted.
    private var predictions = [KeyPrediction](repeating: KeyPrediction(), count: predictionSlots)
    private static let predictionSlots = 1024
    private static let predictedKeyCapacity = 32

    /// A slot's key bytes are kept in the slot, so a hit reads one slot.
    private struct KeyPrediction {
        var node: Int32 = -1
        var length: Int32 = -1
        var child: Int32 = -1
        var key: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    }

    init(trie: FieldTrie) {
        self.trie = trie
        self.core = Array(repeating: CoreValue(), count: CoreField.allCases.count)
        positions.reserveCapacity(16)
        scratch.reserveCapacity(4096)
    }

    /// Scans one record (a JSON object) and returns its shape.
    mutating func scan(_ record: UnsafeBufferPointer<UInt8>) throws(SyntaxError) -> Shape {
        bytes = record
        let guessEnvelope = firstKeyIsEnvelopeKey()
        return try completeShape(try scanTopLevel(asEnvelope: guessEnvelope), guessedEnvelope: guessEnvelope)
    }

    /// Scans the object that starts at `buffer[0]` and may be followed by
    /// more data; returns its shape and length. Afterwards the scanner
    /// contains that record as if `scan` had been given exactly its bytes. Throws when
    /// the buffer does not hold one whole, valid object.
    mutating func scanFirstRecord(in buffer: UnsafeBufferPointer<UInt8>) throws(SyntaxError) -> (shape: Shape, length: Int) {
        bytes = buffer
        let guessEnvelope = firstKeyIsEnvelopeKey()
        let shape = try scanTopLevel(asEnvelope: guessEnvelope, isFollowedByMore: true)
        return (try completeShape(shape, guessedEnvelope: guessEnvelope), bytes.count)
    }

    /// Scans the record again the other way when the first key's guess of
    /// its shape was wrong, and names a lookup-events item.
    private mutating func completeShape(_ scanned: Shape, guessedEnvelope guessEnvelope: Bool) throws(SyntaxError) -> Shape {
        var shape = scanned
        if shape == .record && sawDetailType && sawDetailObject && !guessEnvelope {
            shape = try scanTopLevel(asEnvelope: true)
        } else if shape == .envelope && !(sawDetailType && sawDetailObject) {
            shape = try scanTopLevel(asEnvelope: false)
        }
        if shape == .record, let cloudTrailEvent {
            return .lookupEventsItem(stringStart: cloudTrailEvent.start, stringEnd: cloudTrailEvent.end)
        }
        return shape
    }

    /// Decodes the string whose literal (quotes included) spans
    /// `start..<end` of the last scanned record.
    mutating func decodedString(from start: Int, to end: Int) -> [UInt8] {
        scratch.removeAll(keepingCapacity: true)
        let contents = UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(end - 1)])
        JSONStringDecoder.decode(contents, into: &scratch)
        return scratch
    }

    /// Returns a core field's value as a string: the decoded string, or the
    /// raw text of a number or literal. Nil when the field is absent, null or
    /// not a scalar.
    func string(_ field: CoreField) -> String? {
        let value = core[field.rawValue]
        guard value.isPresent else { return nil }
        if value.kind == .null { return nil }
        let raw = UnsafeBufferPointer(rebasing: bytes[Int(value.start)..<Int(value.start + value.count)])
        if !value.hasEscapes { return String(decoding: raw, as: UTF8.self) }
        var decoded: [UInt8] = []
        JSONStringDecoder.decode(raw, into: &decoded)
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Returns a core field's raw bytes (string contents still escaped), or
    /// nil when it is absent or null.
    @inline(__always)
    func rawBytes(_ field: CoreField) -> UnsafeBufferPointer<UInt8>? {
        let value = core[field.rawValue]
        guard value.isPresent, value.kind != .null else { return nil }
        return UnsafeBufferPointer(rebasing: bytes[Int(value.start)..<Int(value.start + value.count)])
    }

    // MARK: - Top level

    private mutating func reset() {
        event.removeAll()
        for field in 0..<core.count { core[field] = CoreValue() }
        positions.removeAll(keepingCapacity: true)
        nextArrayID = 0
        depth = 0
        index = 0
        sawDetailType = false
        sawDetailObject = false
        cloudTrailEvent = nil
    }

    private func firstKeyIsEnvelopeKey() -> Bool {
        var position = 0
        while position < bytes.count && ASCII.isWhitespace(bytes[position]) { position += 1 }
        position += 1
        while position < bytes.count && ASCII.isWhitespace(bytes[position]) { position += 1 }
        guard position < bytes.count, bytes[position] == ASCII.quote else { return false }
        let keyStart = position + 1
        var keyEnd = keyStart
        while keyEnd < bytes.count && bytes[keyEnd] != ASCII.quote { keyEnd += 1 }
        return EnvelopeField.isEnvelopeKey(UnsafeBufferPointer(rebasing: bytes[keyStart..<min(keyEnd, bytes.count)]))
    }

    /// Scans `bytes` as one record. With `isFollowedByMore`, the object may
    /// be followed by other data, and `bytes` is cut to the object's end.
    private mutating func scanTopLevel(asEnvelope: Bool, isFollowedByMore: Bool = false) throws(SyntaxError) -> Shape {
        reset()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == ASCII.openBrace else {
            throw syntaxError("a record must be a JSON object")
        }
        try scanObject(node: asEnvelope ? trie.envelopeRoot : trie.recordRoot, isTopLevel: true)
        if isFollowedByMore {
            bytes = UnsafeBufferPointer(rebasing: bytes[..<index])
        }
        skipWhitespace()
        if index != bytes.count { throw syntaxError("unexpected data after the record") }
        if !asEnvelope { synthesizeEnvelope() }
        return asEnvelope ? .envelope : .record
    }

    /// Adds the envelope fields of a bare record, derived as EventBridge
    /// derives them, for the envelope paths that some pattern reads. It
    /// runs for every bare record, so it copies bytes and builds no String.
    private mutating func synthesizeEnvelope() {
        for field in EnvelopeField.allCases {
            let pathID = Int(trie.envelopePathIDs[field.rawValue])
            guard pathID >= 0 else { continue }
            switch field {
            case .version:
                appendEnvelopeString("0", pathID: pathID)
            case .id:
                appendCoreString(.eventID, pathID: pathID)
            case .detailType:
                if let type = rawBytes(.eventType), let detailType = EnvelopeField.detailType(forEventType: type) {
                    appendEnvelopeString(detailType, pathID: pathID)
                }
            case .source:
                appendEventBridgeSource(pathID: pathID)
            case .account:
                appendCoreString(.recipientAccountId, pathID: pathID)
            case .time:
                appendCoreString(.eventTime, pathID: pathID)
            case .region:
                appendCoreString(.awsRegion, pathID: pathID)
            }
        }
    }

    private mutating func appendEnvelopeString(_ text: StaticString, pathID: Int) {
        text.withUTF8Buffer { event.appendString($0, pathID: pathID, positions: UnsafeBufferPointer(start: nil, count: 0)) }
    }

    /// Appends a core field that is a string, decoded.
    private mutating func appendCoreString(_ field: CoreField, pathID: Int) {
        let value = core[field.rawValue]
        guard value.isPresent, value.kind == .string else { return }
        appendStringLeaf(
            UnsafeBufferPointer(rebasing: bytes[Int(value.start)..<Int(value.start + value.count)]),
            hasEscapes: value.hasEscapes, pathID: pathID)
    }

    /// Appends the EventBridge source of the record: `aws.` and the
    /// eventSource without `.amazonaws.com`, so `iam.amazonaws.com`
    /// becomes `aws.iam`.
    private mutating func appendEventBridgeSource(pathID: Int) {
        guard let raw = rawBytes(.eventSource) else { return }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: Self.servicePrefix.utf8Start, count: 4))
        if core[CoreField.eventSource.rawValue].hasEscapes {
            JSONStringDecoder.decode(raw, into: &scratch)
        } else {
            scratch.append(contentsOf: raw)
        }
        let suffixCount = Self.serviceDomain.utf8CodeUnitCount
        scratch.withUnsafeBufferPointer { contents in
            var name = contents
            if contents.count >= 4 + suffixCount
                && ASCII.equals(UnsafeBufferPointer(rebasing: contents[(contents.count - suffixCount)...]), Self.serviceDomain)
            {
                name = UnsafeBufferPointer(rebasing: contents[..<(contents.count - suffixCount)])
            }
            event.appendString(name, pathID: pathID, positions: UnsafeBufferPointer(start: nil, count: 0))
        }
    }

    // MARK: - Values on paths of interest

    private mutating func scanObject(node: Int32, isTopLevel: Bool = false) throws(SyntaxError) {
        try enterContainer()
        index += 1
        skipWhitespace()
        if try peek() == ASCII.closeBrace {
            index += 1
            depth -= 1
            return
        }
        var previous: Int32 = -1
        while true {
            skipWhitespace()
            guard try peek() == ASCII.quote else { throw syntaxError("expected a string as object key") }
            let keyStart = index + 1
            let slot = Self.predictionSlot(node: node, previous: previous)
            previous = Int32(slot)
            let predicted = predictedChild(at: slot, node: node, keyStart: keyStart)
            var hasEscapes = false
            if let predicted {
                index = keyStart + predicted.length + 1
            } else {
                hasEscapes = try skipStringBody()
            }
            let keyEnd = index - 1
            skipWhitespace()
            guard try peek() == ASCII.colon else { throw syntaxError("expected ':' after an object key") }
            index += 1
            skipWhitespace()

            let key = UnsafeBufferPointer(rebasing: bytes[keyStart..<keyEnd])
            if isTopLevel { noteTopLevelKey(key) }
            let child: Int32
            if let predicted {
                child = predicted.child
            } else {
                child = lookUpChild(of: node, key: key, hasEscapes: hasEscapes)
                if !hasEscapes { predict(key, child: child, at: slot, node: node) }
            }
            if child >= 0 {
                try scanValue(node: child)
            } else {
                try skipValue()
            }

            skipWhitespace()
            switch try peek() {
            case ASCII.comma:
                index += 1
            case ASCII.closeBrace:
                index += 1
                depth -= 1
                return
            default:
                throw syntaxError("expected ',' or '}' in an object")
            }
        }
    }

    @inline(__always)
    private static func predictionSlot(node: Int32, previous: Int32) -> Int {
        let mixed = (UInt64(UInt32(bitPattern: node)) &* 0x9e37_79b9_7f4a_7c15)
            ^ (UInt64(UInt32(bitPattern: previous &+ 1)) &* 0xbf58_476d_1ce4_e5b9)
        return Int(truncatingIfNeeded: mixed >> 40) & (predictionSlots - 1)
    }

    /// Returns the predicted key's length and child when the key that starts
    /// at `keyStart` is the one predicted at `slot`, or nil.
    @inline(__always)
    private func predictedChild(at slot: Int, node: Int32, keyStart: Int) -> (length: Int, child: Int32)? {
        let prediction = predictions[slot]
        guard prediction.node == node else { return nil }
        let length = Int(prediction.length)
        guard keyStart + length < bytes.count, bytes[keyStart + length] == ASCII.quote else { return nil }
        let matches = withUnsafeBytes(of: prediction.key) { key in
            ByteStrings.equal(bytes.baseAddress! + keyStart, key.baseAddress!, count: length)
        }
        return matches ? (length, prediction.child) : nil
    }

    /// Remembers `key`, which has no escapes, and its child at `slot`.
    private mutating func predict(_ key: UnsafeBufferPointer<UInt8>, child: Int32, at slot: Int, node: Int32) {
        guard key.count <= Self.predictedKeyCapacity else {
            predictions[slot] = KeyPrediction()
            return
        }
        var prediction = KeyPrediction(node: node, length: Int32(key.count), child: child)
        withUnsafeMutableBytes(of: &prediction.key) { stored in
            if let base = key.baseAddress { stored.baseAddress!.copyMemory(from: base, byteCount: key.count) }
        }
        predictions[slot] = prediction
    }

    /// Notes the members that tell an envelope or a lookup-events item from a record.
    private mutating func noteTopLevelKey(_ key: UnsafeBufferPointer<UInt8>) {
        guard index < bytes.count else { return }
        let valueStart = bytes[index]
        switch key.count {
        case 11 where ASCII.equals(key, "detail-type"):
            sawDetailType = valueStart == ASCII.quote
        case 6 where ASCII.equals(key, "detail"):
            sawDetailObject = valueStart == ASCII.openBrace
        case 15 where ASCII.equals(key, "CloudTrailEvent") && valueStart == ASCII.quote:
            let start = index
            var position = index + 1
            while position < bytes.count {
                if bytes[position] == ASCII.backslash {
                    position += 2
                    continue
                }
                if bytes[position] == ASCII.quote {
                    cloudTrailEvent = (start, position + 1)
                    break
                }
                position += 1
            }
        default:
            break
        }
    }

    private mutating func lookUpChild(of node: Int32, key: UnsafeBufferPointer<UInt8>, hasEscapes: Bool) -> Int32 {
        if !hasEscapes {
            let child = trie.child(of: node, key: key)
            if child >= 0 || !key.contains(ASCII.dot) { return child }
            return lookUpDotted(from: node, key: key)
        }
        var decoded: [UInt8] = []
        JSONStringDecoder.decode(key, into: &decoded)
        return decoded.withUnsafeBufferPointer { decodedKey in
            let child = trie.child(of: node, key: decodedKey)
            if child >= 0 || !decodedKey.contains(ASCII.dot) { return child }
            return lookUpDotted(from: node, key: decodedKey)
        }
    }

    /// Follows a key written with dots (`"state.status"`) one component at a time.
    private func lookUpDotted(from node: Int32, key: UnsafeBufferPointer<UInt8>) -> Int32 {
        var node = node
        for component in key.split(separator: ASCII.dot, omittingEmptySubsequences: false) {
            node = trie.child(of: node, key: UnsafeBufferPointer(rebasing: component))
            if node < 0 { return -1 }
        }
        return node
    }

    private mutating func scanValue(node: Int32) throws(SyntaxError) {
        let matcherPathID = trie.matcherPathIDs[Int(node)]
        let coreField = trie.coreFields[Int(node)]
        switch try peek() {
        case ASCII.openBrace:
            if !trie.hasChildren(node) {
                try skipValue()
            } else {
                try scanObject(node: node)
            }
        case ASCII.openBracket:
            try scanArray(node: node)
        case ASCII.quote:
            let start = index + 1
            let hasEscapes = try skipStringBody()
            let contents = UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)])
            if matcherPathID >= 0 {
                appendStringLeaf(contents, hasEscapes: hasEscapes, pathID: Int(matcherPathID))
            }
            if let field = coreField {
                setCore(field, start: start, count: contents.count, kind: .string, hasEscapes: hasEscapes)
            }
        default:
            let start = index
            let kind = try skipScalar()
            if matcherPathID >= 0 {
                appendScalarLeaf(kind: kind, from: start, pathID: Int(matcherPathID))
            }
            if let field = coreField {
                setCore(field, start: start, count: index - start, kind: kind, hasEscapes: false)
            }
        }
    }

    private mutating func scanArray(node: Int32) throws(SyntaxError) {
        try enterContainer()
        let arrayID = nextArrayID
        nextArrayID += 1
        index += 1
        skipWhitespace()
        if try peek() == ASCII.closeBracket {
            index += 1
            depth -= 1
            return
        }
        var element: Int32 = 0
        while true {
            skipWhitespace()
            positions.append(FlatEvent.ArrayPosition(arrayID: arrayID, index: element))
            try scanValue(node: node)
            positions.removeLast()
            element += 1
            skipWhitespace()
            switch try peek() {
            case ASCII.comma:
                index += 1
            case ASCII.closeBracket:
                index += 1
                depth -= 1
                return
            default:
                throw syntaxError("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func setCore(_ field: CoreField, start: Int, count: Int, kind: FlatEvent.Kind, hasEscapes: Bool) {
        // Core fields are scalars of the record itself, never elements of an array.
        guard positions.isEmpty, !core[field.rawValue].isPresent else { return }
        core[field.rawValue] = CoreValue(start: Int32(start), count: Int32(count), kind: kind, hasEscapes: hasEscapes)
    }

    private mutating func appendStringLeaf(_ contents: UnsafeBufferPointer<UInt8>, hasEscapes: Bool, pathID: Int) {
        positions.withUnsafeBufferPointer { trail in
            if !hasEscapes {
                event.appendString(contents, pathID: pathID, positions: trail)
                return
            }
            scratch.removeAll(keepingCapacity: true)
            JSONStringDecoder.decode(contents, into: &scratch)
            scratch.withUnsafeBufferPointer { decoded in
                event.appendString(decoded, pathID: pathID, positions: trail)
            }
        }
    }

    private mutating func appendScalarLeaf(kind: FlatEvent.Kind, from start: Int, pathID: Int) {
        positions.withUnsafeBufferPointer { trail in
            if kind == .number {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                event.appendNumber(Double(text) ?? .nan, pathID: pathID, positions: trail)
            } else {
                event.appendLiteral(kind, pathID: pathID, positions: trail)
            }
        }
    }

    // MARK: - Skipping

    /// Skips any value, checking its syntax.
    private mutating func skipValue() throws(SyntaxError) {
        switch try peek() {
        case ASCII.quote:
            _ = try skipStringBody()
        case ASCII.openBrace, ASCII.openBracket:
            try skipContainer()
        default:
            _ = try skipScalar()
        }
    }

    /// Skips an object or array, checking the grammar (keys, colons, commas
    /// and brackets) as `scanObject` and `scanArray` do, without extracting.
    private mutating func skipContainer() throws(SyntaxError) {
        let isObject = try peek() == ASCII.openBrace
        try enterContainer()
        index += 1
        skipWhitespace()
        let close = isObject ? ASCII.closeBrace : ASCII.closeBracket
        if try peek() == close {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            if isObject {
                guard try peek() == ASCII.quote else { throw syntaxError("expected a string as object key") }
                _ = try skipStringBody()
                skipWhitespace()
                guard try peek() == ASCII.colon else { throw syntaxError("expected ':' after an object key") }
                index += 1
                skipWhitespace()
            }
            try skipValue()
            skipWhitespace()
            let next = try peek()
            if next == ASCII.comma {
                index += 1
            } else if next == close {
                index += 1
                depth -= 1
                return
            } else {
                throw syntaxError(isObject ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array")
            }
        }
    }

    /// Moves past a string whose opening quote is at `index`; returns whether it contains escapes.
    private mutating func skipStringBody() throws(SyntaxError) -> Bool {
        var position = index + 1
        var hasEscapes = false
        let base = bytes.baseAddress!
        while position < bytes.count {
            position = ASCII.firstStringSpecial(in: base, from: position, to: bytes.count)
            guard position < bytes.count else { break }
            let byte = base[position]
            if byte == ASCII.quote {
                index = position + 1
                return hasEscapes
            }
            if byte == ASCII.backslash {
                hasEscapes = true
                position += 2
                continue
            }
            if byte < 0x20 {
                index = position
                throw syntaxError("control character inside a string")
            }
            position += 1
        }
        index = bytes.count
        throw syntaxError("unterminated string")
    }

    /// Moves past a number, `true`, `false` or `null`, and returns its kind.
    private mutating func skipScalar() throws(SyntaxError) -> FlatEvent.Kind {
        let first = try peek()
        if first == UInt8(ascii: "t") { try expectLiteral("true"); return .true }
        if first == UInt8(ascii: "f") { try expectLiteral("false"); return .false }
        if first == UInt8(ascii: "n") { try expectLiteral("null"); return .null }
        guard first == ASCII.minus || ASCII.isDigit(first) else {
            throw syntaxError("unexpected character, expected a value")
        }
        try skipNumber()
        return .number
    }

    /// Moves past a number in JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func skipNumber() throws(SyntaxError) {
        if bytes[index] == ASCII.minus { index += 1 }
        guard index < bytes.count, ASCII.isDigit(bytes[index]) else { throw syntaxError("invalid number: expected a digit") }
        if bytes[index] == ASCII.zero {
            index += 1
        } else {
            skipDigits()
        }
        if index < bytes.count && bytes[index] == ASCII.dot {
            index += 1
            guard index < bytes.count, ASCII.isDigit(bytes[index]) else {
                throw syntaxError("invalid number: expected a digit after '.'")
            }
            skipDigits()
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < bytes.count && (bytes[index] == ASCII.minus || bytes[index] == UInt8(ascii: "+")) { index += 1 }
            guard index < bytes.count, ASCII.isDigit(bytes[index]) else {
                throw syntaxError("invalid number: expected a digit in the exponent")
            }
            skipDigits()
        }
        if index < bytes.count && ASCII.isDigit(bytes[index]) {
            throw syntaxError("invalid number: leading zeros are not allowed")
        }
    }

    private mutating func skipDigits() {
        while index < bytes.count && ASCII.isDigit(bytes[index]) { index += 1 }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(SyntaxError) {
        let count = literal.utf8CodeUnitCount
        let matches = index + count <= bytes.count && ASCII.equals(UnsafeBufferPointer(rebasing: bytes[index..<index + count]), literal)
        guard matches else { throw syntaxError("invalid literal, expected \(literal)") }
        index += count
    }

    // MARK: - Primitives

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count && ASCII.isWhitespace(bytes[index]) { index += 1 }
    }

    @inline(__always)
    private func peek() throws(SyntaxError) -> UInt8 {
        guard index < bytes.count else { throw syntaxError("unexpected end of the record") }
        return bytes[index]
    }

    private mutating func enterContainer() throws(SyntaxError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw syntaxError("nesting deeper than \(Self.maximumDepth) levels")
        }
    }

    private func syntaxError(_ message: String) -> SyntaxError {
        SyntaxError(offset: min(index, bytes.count), message: message)
    }
}
