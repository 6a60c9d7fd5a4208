import Glibc

/// Where a report goes: a file descriptor, written in 64 KiB chunks, or a
/// string kept in memory for tests.
public final class ReportOutput {
    private let descriptor: Int32?
    private var buffer: [UInt8] = []
    private(set) public var text = ""

    /// An output that writes to `descriptor`, which the caller keeps owning.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 16)
    }

    /// An output that keeps everything in `text`.
    public init() {
        descriptor = nil
    }

    public func write(_ string: String) throws(ReportWriteError) {
        guard descriptor != nil else {
            text += string
            return
        }
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes what is buffered, retrying short writes and interrupted calls.
    public func flush() throws(ReportWriteError) {
        guard let descriptor else { return }
        var start = 0
        while start < buffer.count {
            let written = buffer[start...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw ReportWriteError(message: String(cString: strerror(errno)))
            }
            start += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A failed write of the report, for example a full disk or a closed pipe.
public struct ReportWriteError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "cannot write the report: \(message)" }
}
