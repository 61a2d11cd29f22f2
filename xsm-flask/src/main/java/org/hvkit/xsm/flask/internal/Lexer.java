package org.hvkit.xsm.flask.internal;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.xsm.PolicyException;

/** Splits policy text into words and punctuation, each with its line; {@code #} starts a comment. */
final class Lexer {
    /** A word ({@code kind == 'w'}) or one punctuation character ({@code kind} is that character). */
    record Token(char kind, String text, int line) {
        @Override
        public String toString() {
            return kind == 'w' ? "'" + text + "'" : kind == 0 ? "end of file" : "'" + kind + "'";
        }
    }

    static final int MAX_TOKENS = 200_000, MAX_WORD = 128;
    private static final String PUNCT = "{};:,*~-";

    private Lexer() {
    }

    static List<Token> lex(String source, String text) throws PolicyException {
        List<Token> out = new ArrayList<>();
        int line = 1, i = 0, n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                i++;
            } else if (c == '#') {
                while (i < n && text.charAt(i) != '\n') i++;
            } else if (isWord(c)) {
                int start = i;
                while (i < n && (isWord(text.charAt(i)) || text.charAt(i) == '-' && i > start)) i++;
                if (i - start > MAX_WORD) throw new PolicyException(source, line, "name longer than " + MAX_WORD + " characters");
                out.add(new Token('w', text.substring(start, i), line));
            } else if (PUNCT.indexOf(c) >= 0) {
                out.add(new Token(c, String.valueOf(c), line));
                i++;
            } else {
                throw new PolicyException(source, line, "unexpected character " + describe(c));
            }
            if (out.size() > MAX_TOKENS) throw new PolicyException(source, line, "more than " + MAX_TOKENS + " tokens");
        }
        out.add(new Token((char) 0, "", line));
        return out;
    }

    private static boolean isWord(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.';
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
