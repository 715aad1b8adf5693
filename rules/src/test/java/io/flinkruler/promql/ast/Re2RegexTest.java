package io.flinkruler.promql.ast;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.regex.PatternSyntaxException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Re2RegexTest {

    @ParameterizedTest(name = "[{index}] {0} ~ {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "a.*|abc|true", "a.*|xabc|false", "~a|b~|b|true", "foo|foobar|false",
            "[[:alpha:]]+|abcXYZ|true", "[[:alpha:]]+|ab1|false", "[[:^digit:]x]+|abx|true", "[[:^digit:]]|1|false",
            "[a[]+|a[a|true", "[a&&b]+|&a|true", "[]a]+|]a|true", "[^]a]|b|true",
            "{foo}|{foo}|true", "a{2}|aa|true", "a{2,}|aaa|true", "a{,2}|a{,2}|true",
            "(?P<x>a)b|ab|true", "(?i)straße|STRASSE|false", "(?i)é|É|true",
            ".|~\n~|true", "a\\.b|a.b|true", "a\\.b|axb|false"})
    void matchesLikeRe2(String re, String input, boolean matches) {
        assertEquals(matches, Re2Regex.compileAnchored(re).matcher(input).matches());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "(?=a)|error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
            "(?<!a)b|error parsing regexp: invalid or unsupported Perl syntax: `(?<`",
            "(a)\\1|error parsing regexp: invalid escape sequence: `\\1`",
            "a*+|error parsing regexp: invalid nested repetition operator: `*+`",
            "(.*|error parsing regexp: missing closing ): `(.*`",
            "a)|error parsing regexp: unexpected ): `a)`",
            "[a|error parsing regexp: missing closing ]: `[a`"})
    void rejectsWhatRe2Rejects(String re, String message) {
        PatternSyntaxException e = assertThrows(PatternSyntaxException.class, () -> Re2Regex.compileAnchored(re));
        assertEquals(message, Re2Regex.describeError(e, re));
    }
}
