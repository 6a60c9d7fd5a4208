import TrailscanCore
import CLibFuzzer

/// Reads one input of arbitrary bytes as an input file: gzip or plain data,
/// split into records, each record scanned.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecordReader(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzEntryPoints.readInput(UnsafeRawBufferPointer(UnsafeBufferPointer(start: start, count: count)))
    return 0
}

/// The executable's entry point. SwiftPM links an executable with `main`
/// bound to `<module>_main`, which hides libFuzzer's own `main`, so this
/// function starts libFuzzer's driver with the same arguments.
@_cdecl("FuzzRecordReader_main")
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argumentCount = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&argumentCount, &arguments, fuzzRecordReader)
}
