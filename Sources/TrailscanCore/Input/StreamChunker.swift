import Foundation
import Glibc
import Synchronization

/// Cuts an NDJSON stream on a file descriptor into line-aligned chunks, so
/// that several workers can parse one stream in parallel.
///
/// A chunk ends at the last newline read so far and is handed on when it
/// reaches `chunkSize` bytes, or when the stream has been idle for
/// `idleSeconds` with at least one complete line buffered, so a slow feed
/// still reaches the database within seconds. The reader waits with
/// `poll`, which a stop signal interrupts.
///
/// One thread calls `next()`; `bytesRead` may be read from any thread.
final class StreamChunker: @unchecked Sendable {
    /// One piece of the stream: whole lines, with the line number and byte
    /// offset of its first byte.
    struct Chunk: Sendable {
        var index: Int
        var bytes: [UInt8]
        var firstLine: Int
        var offset: Int64
    }

    let chunkSize: Int
    let idleSeconds: Double
    private let fileDescriptor: Int32
    private var pending: [UInt8]
    private var nextLine = 1
    private var nextOffset: Int64 = 0
    private var nextIndex = 0
    private var isAtEnd = false
    private var lastEmit = Date()
    private var readBuffer = [UInt8](repeating: 0, count: 1 << 20)

    private let readCount: Atomic<Int64>

    /// Bytes read from the descriptor so far, the prefix included.
    var bytesRead: Int64 { readCount.load(ordering: .relaxed) }

    init(fileDescriptor: Int32, prefix: [UInt8], chunkSize: Int = 4 << 20, idleSeconds: Double = 0.5) {
        self.fileDescriptor = fileDescriptor
        self.pending = prefix
        self.readCount = Atomic(Int64(prefix.count))
        self.chunkSize = chunkSize
        self.idleSeconds = idleSeconds
    }

    /// Returns the next chunk, or nil at the end of the stream or after a
    /// stop request (the lines read until then are returned first).
    func next() throws(InputError) -> Chunk? {
        while true {
            if isAtEnd || StopSignal.isRaised {
                return takeAll()
            }
            if pending.count >= chunkSize, let chunk = takeLines() {
                return chunk
            }
            let isReadable = try waitForData()
            if isReadable {
                try readAvailable()
            } else if Date().timeIntervalSince(lastEmit) >= idleSeconds, let chunk = takeLines() {
                return chunk
            }
        }
    }

    private func waitForData() throws(InputError) -> Bool {
        var descriptor = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        let status = poll(&descriptor, 1, Int32(idleSeconds * 1000))
        if status < 0 {
            if errno == EINTR { return false }
            throw InputError(path: "stdin", message: "poll failed: \(String(cString: strerror(errno)))")
        }
        return status > 0
    }

    private func readAvailable() throws(InputError) {
        let count = readBuffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            pending.append(contentsOf: readBuffer[0..<count])
            readCount.add(Int64(count), ordering: .relaxed)
        } else if count == 0 {
            isAtEnd = true
        } else if errno != EINTR && errno != EAGAIN {
            throw InputError(path: "stdin", location: "byte \(bytesRead)", message: "read failed: \(String(cString: strerror(errno)))")
        }
    }

    /// The complete lines buffered so far, or nil when there is none.
    private func takeLines() -> Chunk? {
        guard let lastNewline = pending.lastIndex(of: ASCII.newline) else { return nil }
        return emit(count: lastNewline + 1)
    }

    /// Everything buffered, a last line without a newline included.
    private func takeAll() -> Chunk? {
        guard !pending.isEmpty else { return nil }
        return emit(count: pending.count)
    }

    private func emit(count: Int) -> Chunk {
        // The chunk takes the buffer itself; only the partial line after it
        // is copied into a new buffer.
        var bytes: [UInt8] = []
        swap(&bytes, &pending)
        pending.reserveCapacity(chunkSize + readBuffer.count)
        pending.append(contentsOf: bytes[count...])
        bytes.removeSubrange(count...)
        let chunk = Chunk(index: nextIndex, bytes: bytes, firstLine: nextLine, offset: nextOffset)
        nextIndex += 1
        nextLine += bytes.withUnsafeBufferPointer { ASCII.newlineCount(in: $0) }
        nextOffset += Int64(count)
        lastEmit = Date()
        return chunk
    }
}
