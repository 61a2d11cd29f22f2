package org.hvkit.toolstack.xl.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The xl.cfg grammar (xen.md §6.1): {@code key = value} or {@code key += value} statements ended
 * by a newline or {@code ;}, {@code #} comments, values that are quoted strings with C escapes,
 * numbers ({@code [0-9][0-9a-fx]*}), or lists across lines with an optional trailing comma, nested
 * as current xl allows. The last assignment of a key wins.
 */
final class XlCfgParser {
    /**
     * A parse error naming the file, line and column, worded like xl's. {@code python} is set
     * only when the offending character is one an xm (Python) config would have, so that the
     * "looks like Python" hint is not given for, say, an unterminated string.
     */
    static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean lexical;
        final boolean python;

        ParseException(String message, boolean lexical, boolean python) {
            super(message);
            this.lexical = lexical;
            this.python = python;
        }
    }

    private enum T { KEY, STRING, NUMBER, EQ, PLUSEQ, LBRACK, RBRACK, COMMA, NEWLINE, SEMI, EOF }

    private record Tok(T type, String text, int line, int col) { }

    private final String src;
    private final String text;
    private int pos, line = 1, col = 1, depth;

    /** Lists nest at most this deep (xl's own grammar nests one level): deeper input is refused, never recursed into. */
    static final int MAX_DEPTH = 32;
    private Tok tok;

    private XlCfgParser(String source, String text) {
        this.src = source;
        this.text = text;
    }

    /** Parses {@code text} (the file, then each command-line {@code key=value} as an extra line). */
    static XlCfg parse(String source, String text) throws ParseException {
        XlCfgParser p = new XlCfgParser(source, text);
        XlCfg cfg = new XlCfg(source);
        p.next();
        while (p.tok.type != T.EOF) {
            if (p.tok.type == T.NEWLINE || p.tok.type == T.SEMI) {
                p.next();
                continue;
            }
            if (p.tok.type != T.KEY) throw p.error("syntax error, unexpected " + p.describe(p.tok) + ", expecting a setting name");
            String key = p.tok.text;
            p.next();
            boolean append = p.tok.type == T.PLUSEQ;
            if (p.tok.type != T.EQ && !append) throw p.error("syntax error, unexpected " + p.describe(p.tok) + ", expecting '=' after '" + key + "'");
            p.next();
            XlCfg.Value v = p.value();
            if (p.tok.type != T.NEWLINE && p.tok.type != T.SEMI && p.tok.type != T.EOF) {
                throw p.error("syntax error, unexpected " + p.describe(p.tok) + ", expecting newline or ';' after the value of '" + key + "'");
            }
            if (append) cfg.append(key, v); else cfg.set(key, v);
        }
        return cfg;
    }

    private XlCfg.Value value() throws ParseException {
        Tok t = tok;
        switch (t.type) {
            case STRING -> {
                next();
                return new XlCfg.Str(t.text, t.line);
            }
            case NUMBER -> {
                next();
                return new XlCfg.Num(t.text, t.line);
            }
            case LBRACK -> {
                if (++depth > MAX_DEPTH) throw error("lists nested deeper than " + MAX_DEPTH + " levels");
                next();
                List<XlCfg.Value> items = new ArrayList<>();
                skipNewlines();
                while (tok.type != T.RBRACK) {
                    items.add(value());
                    skipNewlines();
                    if (tok.type == T.COMMA) {
                        next();
                        skipNewlines();
                    } else if (tok.type != T.RBRACK) {
                        throw error("syntax error, unexpected " + describe(tok) + ", expecting ',' or ']'");
                    }
                }
                depth--;
                next();
                return new XlCfg.Lst(List.copyOf(items), t.line);
            }
            default -> throw error("syntax error, unexpected " + describe(t) + ", expecting a value (a quoted string, a number or a [list])");
        }
    }

    private void skipNewlines() throws ParseException {
        while (tok.type == T.NEWLINE) next();
    }

    private String describe(Tok t) {
        return switch (t.type) {
            case EOF -> "end of file";
            case NEWLINE -> "newline";
            case STRING -> "string \"" + t.text + "\"";
            case NUMBER -> "number " + t.text;
            case KEY -> "name '" + t.text + "'";
            default -> "'" + t.text + "'";
        };
    }

    private ParseException error(String what) {
        String near = tok.type == T.EOF ? "end of input" : tok.type == T.NEWLINE ? "`\\n'" : "`" + tok.text + "'";
        return new ParseException(src + ":" + tok.line + ":" + tok.col + ": config parsing error near " + near + ": " + what, false, false);
    }

    private ParseException lexical(String found, int l, int c, String why) {
        return new ParseException(src + ":" + l + ":" + c + ": config parsing error near `" + found + "': lexical error: " + why, true, why.equals(PYTHON));
    }

    // ------------------------------------------------------------------ lexer

    private int peek() {
        return pos < text.length() ? text.charAt(pos) : -1;
    }

    private int take() {
        int ch = text.charAt(pos++);
        if (ch == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        return ch;
    }

    private void next() throws ParseException {
        while (true) {
            int ch = peek();
            if (ch == ' ' || ch == '\t' || ch == '\r') {
                take();
            } else if (ch == '#') {
                while (peek() != -1 && peek() != '\n') take();
            } else {
                break;
            }
        }
        int l = line, c = col;
        int ch = peek();
        if (ch == -1) {
            tok = new Tok(T.EOF, "", l, c);
            return;
        }
        if (ch == '\n') {
            take();
            tok = new Tok(T.NEWLINE, "\n", l, c);
            return;
        }
        if (ch >= 'a' && ch <= 'z') {
            StringBuilder sb = new StringBuilder();
            while (peek() != -1 && (Character.isLowerCase(peek()) || Character.isDigit(peek()) || peek() == '_' || peek() == '.')) sb.append((char) take());
            if (peek() != -1 && Character.isUpperCase(peek())) throw lexical(sb.toString() + (char) peek(), l, c, UPPER);
            tok = new Tok(T.KEY, sb.toString(), l, c);
            return;
        }
        if (ch >= '0' && ch <= '9') {
            StringBuilder sb = new StringBuilder();
            while (peek() != -1 && (Character.isDigit(peek()) || (peek() >= 'a' && peek() <= 'f') || peek() == 'x' || peek() == 'X' || (peek() >= 'A' && peek() <= 'F'))) sb.append((char) take());
            String num = sb.toString();
            if (!num.matches("0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*")) throw lexical(num, l, c, "not a decimal, octal (0...) or hex (0x...) number");
            tok = new Tok(T.NUMBER, num, l, c);
            return;
        }
        if (ch == '"' || ch == '\'') {
            tok = new Tok(T.STRING, string(l, c), l, c);
            return;
        }
        switch (ch) {
            case '=' -> { take(); tok = new Tok(T.EQ, "=", l, c); return; }
            case '[' -> { take(); tok = new Tok(T.LBRACK, "[", l, c); return; }
            case ']' -> { take(); tok = new Tok(T.RBRACK, "]", l, c); return; }
            case ',' -> { take(); tok = new Tok(T.COMMA, ",", l, c); return; }
            case ';' -> { take(); tok = new Tok(T.SEMI, ";", l, c); return; }
            case '+' -> {
                take();
                if (peek() == '=') {
                    take();
                    tok = new Tok(T.PLUSEQ, "+=", l, c);
                    return;
                }
                throw lexical("+", l, c, PYTHON);
            }
            default -> throw lexical(String.valueOf((char) ch), l, c, Character.isUpperCase(ch) ? UPPER : PYTHON);
        }
    }

    static final String UPPER = "upper case outside quotes (setting names are lower case; booleans are 0 or 1)";
    static final String PYTHON = "this looks like Python; arbitrary Python is no longer supported (see http://wiki.xen.org/wiki/PythonInXlConfig)";

    private String string(int l, int c) throws ParseException {
        int quote = take();
        StringBuilder sb = new StringBuilder();
        while (true) {
            int ch = peek();
            if (ch == -1 || ch == '\n') throw lexical(String.valueOf((char) quote) + sb, l, c, "unterminated string (no closing " + (char) quote + " on this line)");
            take();
            if (ch == quote) return sb.toString();
            if (ch != '\\') {
                sb.append((char) ch);
                continue;
            }
            int e = peek();
            if (e == -1 || e == '\n') throw lexical("\\", line, col, "backslash at the end of a line");
            take();
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case 'x' -> {
                    StringBuilder hex = new StringBuilder();
                    while (hex.length() < 2 && peek() != -1 && Character.digit(peek(), 16) >= 0) hex.append((char) take());
                    if (hex.isEmpty()) throw lexical("\\x", line, col, "\\x needs hex digits");
                    sb.append((char) Integer.parseInt(hex.toString(), 16));
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int i = 0; i < 2 && peek() >= '0' && peek() <= '7'; i++) v = v * 8 + (take() - '0');
                        sb.append((char) v);
                    } else {
                        sb.append((char) e);
                    }
                }
            }
        }
    }
}
