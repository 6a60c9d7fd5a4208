import TrailscanCore
import CLibFuzzer

/// Runs the field scanner over one input of arbitrary bytes, read as a record.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONScanner(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzEntryPoints.scanRecord(UnsafeRawBufferPointer(UnsafeBufferPointer(start: start, count: count)))
    return 0
}

/// The executable's entry point. SwiftPM links an executable with `main`
/// bound to `<module>_main`, which hides libFuzzer's own `main`, so this
/// function starts libFuzzer's driver with the same arguments.
@_cdecl("FuzzJSONScanner_main")
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argumentCount = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&argumentCount, &arguments, fuzzJSONScanner)
}
