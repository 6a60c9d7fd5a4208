import Testing

@testable import TrailscanCore

@Suite("Text report wrapping")
struct TextWrapTests {
    @Test("prose breaks between words")
    func breaksBetweenWords() {
        let text = "+25 role: role arn:aws:iam::444455556666:role/OrganizationAccountAccessRole matches OrganizationAccountAccessRole"
        let lines = TextEscaping.wrap(text, width: 82, breakingAtSpaces: true)
        #expect(lines == [
            "+25 role: role arn:aws:iam::444455556666:role/OrganizationAccountAccessRole",
            "matches OrganizationAccountAccessRole",
        ])
    }

    @Test("space at the width is dropped")
    func spaceAtWidth() {
        #expect(TextEscaping.wrap("abcd efgh", width: 4, breakingAtSpaces: true) == ["abcd", "efgh"])
        #expect(TextEscaping.wrap("ab cd ef", width: 5, breakingAtSpaces: true) == ["ab cd", "ef"])
    }

    @Test("word wider than a line is cut")
    func longWord() {
        #expect(TextEscaping.wrap("x abcdefghij y", width: 4, breakingAtSpaces: true) == ["x", "abcd", "efgh", "ij y"])
        #expect(TextEscaping.wrap(" leading", width: 4, breakingAtSpaces: true) == [" lea", "ding"])
    }

    @Test("exact wrap joins back", arguments: [1, 3, 7, 82])
    func exactWrap(width: Int) {
        let event = #"{"userAgent":"Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0","eventName":"AssumeRole"}"#
        let lines = TextEscaping.wrap(event, width: width)
        #expect(lines.joined() == event)
        #expect(lines.allSatisfy { $0.count <= width })
        #expect(lines.dropLast().allSatisfy { $0.count == width })
    }

    @Test("wide characters count two columns")
    func wideCharacters() {
        #expect(TextEscaping.wrap("日本語 テキスト", width: 6, breakingAtSpaces: true) == ["日本語", "テキス", "ト"])
    }

    @Test("empty text is one empty line")
    func emptyText() {
        #expect(TextEscaping.wrap("", width: 10, breakingAtSpaces: true) == [""])
        #expect(TextEscaping.wrap("", width: 10) == [""])
    }
}
