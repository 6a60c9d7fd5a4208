import Glibc
import Synchronization

/// SIGTERM and SIGINT as a request to stop reading standard input: the
/// handlers only raise a flag, and the stream scan then commits what it has
/// read and exits normally.
///
/// The handlers are installed without `SA_RESTART`, so a `read` or `poll`
/// blocked on an idle pipe returns `EINTR` and the reader sees the flag at
/// once.
enum StopSignal {
    private static let raised = Atomic<Bool>(false)

    static var isRaised: Bool { raised.load(ordering: .acquiring) }

    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in StopSignal.raised.store(true, ordering: .releasing) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGINT, &action, nil)

        // A parent can hand down a mask that blocks them, as test runners
        // do, and the signals would then stay pending forever. Threads
        // created after this call inherit the unblocked mask.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}
