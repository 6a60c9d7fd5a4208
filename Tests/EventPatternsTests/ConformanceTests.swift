import EventPatterns
import Testing

let conformanceFileExists = TestFiles.exists(TestFiles.conformanceFile)

@Suite("EventBridge conformance vectors")
struct ConformanceTests {
    @Test(
        "every shared vector passes",
        .enabled(
            if: conformanceFileExists,
            "../shared/conformance is absent, so the shared EventBridge vectors cannot run")
    )
    func sharedVectorsPass() throws {
        let vectors = try PatternVector.load(contentsOf: TestFiles.conformanceFile)
        let failures = vectors.compactMap { $0.failure() }
        #expect(!vectors.isEmpty)
        #expect(failures == [], "\(failures.count) of \(vectors.count) vectors failed")
    }
}
