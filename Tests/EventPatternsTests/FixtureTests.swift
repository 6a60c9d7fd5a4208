import EventPatterns
import Testing

/// The repository's own vectors in `Fixtures/*.jsonl`, in the same line format
/// as the shared conformance file.
@Suite("Repository pattern vectors")
struct FixtureTests {
    static let fileNames = TestFiles.vectorFiles(in: TestFiles.fixturesDirectory)

    @Test("fixture folder holds vector files")
    func fixturesArePresent() {
        #expect(FixtureTests.fileNames.count == 7)
    }

    @Test("every vector in the file passes", arguments: fileNames)
    func vectorsPass(fileName: String) throws {
        let vectors = try PatternVector.load(contentsOf: TestFiles.fixturesDirectory + "/" + fileName)
        #expect(!vectors.isEmpty)
        for vector in vectors {
            #expect(vector.failure() == nil)
        }
    }
}
