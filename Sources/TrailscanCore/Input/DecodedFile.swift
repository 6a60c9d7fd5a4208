import Foundation

/// The memory that whole-file decoding may hold at one time, across all
/// readers and threads.
///
/// A file decoded whole keeps its entire output in memory, and its
/// compressed bytes while it is decoded. Reservations against this budget
/// bound the total whatever the number of workers. A file that would pass
/// it is streamed by zlib instead, in buffers of about 1.3 MiB.
enum WholeFileBudget {
    static let limit = 64 << 20

    private static let lock = NSLock()
    nonisolated(unsafe) private static var reserved = 0

    /// Reserves `bytes`. Returns false, and reserves nothing, when the
    /// budget has less than `bytes` left.
    static func reserve(_ bytes: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard reserved + bytes <= limit else { return false }
        reserved += bytes
        return true
    }

    static func release(_ bytes: Int) {
        lock.lock()
        defer { lock.unlock() }
        reserved -= bytes
    }
}

/// A file's decoded bytes. Releasing this object frees them and returns
/// their reservation to `WholeFileBudget`.
final class DecodedFile {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    /// The number of output bytes at the start of `buffer`.
    let count: Int
    private let reservedBytes: Int

    init(buffer: UnsafeMutableBufferPointer<UInt8>, count: Int, reservedBytes: Int) {
        self.buffer = buffer
        self.count = count
        self.reservedBytes = reservedBytes
    }

    deinit {
        buffer.deallocate()
        WholeFileBudget.release(reservedBytes)
    }
}
