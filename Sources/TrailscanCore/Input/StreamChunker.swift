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
/// The stream is read straight into the memory that a chunk hands on.
/// That memory returns to the chunker when the chunk is released, so a long
/// stream reuses a few buffers instead of faulting in fresh pages for every
/// chunk. Only the partial line after a chunk's last newline is copied.
///
/// A line longer than `maximumLineSize` is not buffered: its bytes are
/// read and dropped up to its newline, and the next chunk reports it as one
/// unreadable record. So a stream without newlines cannot fill the memory.
///
/// One thread calls `next()`; `bytesRead` may be read from any thread.
final class StreamChunker: @unchecked Sendable {
    /// One piece of the stream: whole lines, with the line number and byte
    /// offset of its first byte.
    struct Chunk: Sendable {
        var index: Int
        var bytes: ChunkBytes
        var firstLine: Int
        var offset: Int64
        /// The problems (`line N, byte M: ...`) of the lines dropped for
        /// their length before this chunk.
        var skippedLines: [String] = []
    }

    let chunkSize: Int
    let idleSeconds: Double
    let maximumLineSize: Int
    private let fileDescriptor: Int32
    private let pool: ChunkBufferPool
    /// The bytes read and not yet handed on: `pending[0..<pendingCount]`.
    private var pending: UnsafeMutableBufferPointer<UInt8>
    private var pendingCount = 0
    private var nextLine = 1
    private var nextOffset: Int64 = 0
    private var nextIndex = 0
    private var isAtEnd = false
    private var lastEmit = Date()
    /// The start of a line longer than `maximumLineSize`, set while its
    /// bytes are dropped.
    private var longLine: (line: Int, offset: Int64)?
    /// Long lines dropped since the last chunk.
    private var skippedLines: [String] = []

    private let readCount: Atomic<Int64>

    /// Bytes read from the descriptor so far, the prefix included.
    var bytesRead: Int64 { readCount.load(ordering: .relaxed) }

    /// `maximumPooledBuffers` bounds the memory kept for reuse. It should
    /// cover the chunks that can be queued or in work at once.
    init(fileDescriptor: Int32, prefix: [UInt8], chunkSize: Int = 4 << 20, idleSeconds: Double = 0.5,
         maximumLineSize: Int = RecordReader.maximumRecordSize, maximumPooledBuffers: Int = 8) {
        self.fileDescriptor = fileDescriptor
        self.readCount = Atomic(Int64(prefix.count))
        self.chunkSize = chunkSize
        self.idleSeconds = idleSeconds
        self.maximumLineSize = maximumLineSize
        // A quarter more than a chunk, so that the reads that fill a chunk
        // rarely have to grow its buffer.
        self.pool = ChunkBufferPool(bufferSize: max(chunkSize + chunkSize / 4, prefix.count),
                                    limit: maximumPooledBuffers)
        self.pending = pool.take()
        prefix.withUnsafeBufferPointer { source in
            _ = UnsafeMutableBufferPointer(rebasing: pending[..<source.count]).initialize(fromContentsOf: source)
        }
        self.pendingCount = prefix.count
    }

    deinit {
        pool.recycle(pending)
    }

    /// Frees the buffers kept for reuse, and from now on every buffer as
    /// soon as its chunk is done. Call it when no more chunks will be read,
    /// from a thread that would otherwise be idle.
    func releasePooledBuffers() {
        pool.close()
    }

    /// Returns the next chunk, or nil at the end of the stream or after a
    /// stop request (the lines read until then are returned first).
    func next() throws(InputError) -> Chunk? {
        while true {
            if isAtEnd || StopSignal.isRaised {
                if let longLine {
                    // The stream ended inside the long line.
                    noteSkipped(longLine)
                    self.longLine = nil
                }
                return takeAll()
            }
            if pendingCount >= chunkSize, let chunk = takeLines() {
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
        if pendingCount == pending.count && pending.count >= maximumLineSize {
            // A full buffer without a newline: the line is too long to keep.
            longLine = (nextLine, nextOffset)
            dropPending(count: pendingCount)
        } else if pendingCount == pending.count {
            // A line longer than the buffer: grow it. The larger buffer is
            // freed, not pooled, when its chunk is done.
            let larger = UnsafeMutableBufferPointer<UInt8>.allocate(
                capacity: max(pending.count + 1, min(pending.count * 2, maximumLineSize)))
            larger.baseAddress!.update(from: pending.baseAddress!, count: pendingCount)
            pool.recycle(pending)
            pending = larger
        }
        let count = Glibc.read(fileDescriptor, pending.baseAddress! + pendingCount, pending.count - pendingCount)
        if count > 0 {
            pendingCount += count
            readCount.add(Int64(count), ordering: .relaxed)
            if longLine != nil { dropLongLine() }
        } else if count == 0 {
            isAtEnd = true
        } else if errno != EINTR && errno != EAGAIN {
            throw InputError(path: "stdin", location: "byte \(bytesRead)", message: "read failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Drops the buffered bytes of the long line up to its newline, and
    /// notes the line when the newline has arrived.
    private func dropLongLine() {
        guard let start = longLine, let base = pending.baseAddress else { return }
        guard let newline = memchr(base, Int32(ASCII.newline), pendingCount) else {
            dropPending(count: pendingCount)
            return
        }
        dropPending(count: UnsafeRawPointer(newline) - UnsafeRawPointer(base) + 1)
        nextLine += 1
        noteSkipped(start)
        longLine = nil
    }

    /// Removes the first `count` buffered bytes, which belong to no chunk.
    private func dropPending(count: Int) {
        let rest = pendingCount - count
        if rest > 0 { pending.baseAddress!.update(from: pending.baseAddress! + count, count: rest) }
        pendingCount = rest
        nextOffset += Int64(count)
    }

    private func noteSkipped(_ start: (line: Int, offset: Int64)) {
        let limit = maximumLineSize >= 1 << 20 ? "\(maximumLineSize >> 20) MiB" : "\(maximumLineSize >> 10) KiB"
        let problem = InputError(
            path: "stdin", location: "line \(start.line), byte \(start.offset)",
            message: "the line is longer than \(limit) and was skipped",
            hint: "split the input into one record per line")
        skippedLines.append(problem.detail)
    }

    /// The complete lines buffered so far, or nil when there is none.
    private func takeLines() -> Chunk? {
        var position = pendingCount
        while position > 0 {
            position -= 1
            if pending[position] == ASCII.newline { return emit(count: position + 1) }
        }
        return nil
    }

    /// Everything buffered, a last line without a newline included, or
    /// nil when nothing is left to report.
    private func takeAll() -> Chunk? {
        guard pendingCount > 0 || !skippedLines.isEmpty else { return nil }
        return emit(count: pendingCount)
    }

    private func emit(count: Int) -> Chunk {
        // The chunk takes the buffer itself; only the partial line after it
        // moves to the next buffer.
        let full = pending
        let rest = pendingCount - count
        pending = pool.take()
        if rest > pending.count {
            pool.recycle(pending)
            pending = .allocate(capacity: rest * 2)
        }
        if rest > 0 { pending.baseAddress!.update(from: full.baseAddress! + count, count: rest) }
        pendingCount = rest
        let bytes = ChunkBytes(buffer: full, count: count, pool: pool)
        let chunk = Chunk(index: nextIndex, bytes: bytes, firstLine: nextLine, offset: nextOffset, skippedLines: skippedLines)
        skippedLines = []
        nextIndex += 1
        nextLine += ASCII.newlineCount(in: UnsafeBufferPointer(rebasing: full[..<count]))
        nextOffset += Int64(count)
        lastEmit = Date()
        return chunk
    }
}

/// The bytes of one chunk. The memory goes back to the chunker's pool when
/// the last reference is released.
final class ChunkBytes: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    let count: Int
    private let pool: ChunkBufferPool

    fileprivate init(buffer: UnsafeMutableBufferPointer<UInt8>, count: Int, pool: ChunkBufferPool) {
        self.buffer = buffer
        self.count = count
        self.pool = pool
    }

    deinit {
        pool.recycle(buffer)
    }

    /// The chunk's bytes, valid while this object is alive.
    var contents: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: buffer[..<count])
    }
}

/// Buffers of one size, kept for reuse up to `limit`. Buffers of other
/// sizes, and any beyond the limit, are freed.
final class ChunkBufferPool: @unchecked Sendable {
    let bufferSize: Int
    private let limit: Int
    private let lock = NSLock()
    private var free: [UnsafeMutableBufferPointer<UInt8>] = []
    /// Set by `close()`: from then on every buffer is freed when it comes back.
    private var isClosed = false

    init(bufferSize: Int, limit: Int) {
        self.bufferSize = bufferSize
        self.limit = limit
    }

    deinit {
        for buffer in free { buffer.deallocate() }
    }

    /// How many buffers are kept for reuse.
    var pooledCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return free.count
    }

    /// Frees the buffers kept so far; later ones are freed as they come back.
    func close() {
        lock.lock()
        let buffers = free
        free = []
        isClosed = true
        lock.unlock()
        for buffer in buffers { buffer.deallocate() }
    }

    func take() -> UnsafeMutableBufferPointer<UInt8> {
        lock.lock()
        let reused = free.popLast()
        lock.unlock()
        return reused ?? .allocate(capacity: bufferSize)
    }

    func recycle(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        if buffer.count == bufferSize {
            lock.lock()
            if !isClosed && free.count < limit {
                free.append(buffer)
                lock.unlock()
                return
            }
            lock.unlock()
        }
        buffer.deallocate()
    }
}
