package org.hvkit.shell.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;

/**
 * {@code grep} for the operator's pipes ({@code xl list | grep web}). Gogo's own grep (gogo.shell's
 * Posix) returns whether something matched, and the console prints that value: a stray {@code true}
 * after the lines. This one prints the lines alone; it is {@code gogo:grep} ranked above Gogo's, so
 * the plain name finds it. Same options: -i, -n, -q, -v.
 */
@Component(service = GrepCommand.class, immediate = true,
        property = {"osgi.command.scope=gogo", "osgi.command.function=grep", "service.ranking:Integer=1"})
public final class GrepCommand {

    @Descriptor("print the lines of the files (or the standard input) that match PATTERN: grep [-i] [-n] [-q] [-v] PATTERN [FILES]")
    public void grep(CommandSession session, String[] argv) throws IOException {
        run(argv, System.in, System.out, System.err);
    }

    /** The lines that match go to {@code out}; a bad pattern or file is one line on {@code err}. Returns whether any matched. */
    static boolean run(String[] argv, InputStream in, PrintStream out, PrintStream err) throws IOException {
        boolean ignoreCase = false, number = false, quiet = false, invert = false;
        List<String> rest = new ArrayList<>();
        int i = 0;
        for (; i < argv.length && argv[i].startsWith("-") && argv[i].length() > 1; i++) {
            if (argv[i].equals("--")) {
                i++;
                break;
            }
            for (char c : argv[i].substring(1).toCharArray()) {
                switch (c) {
                    case 'i' -> ignoreCase = true;
                    case 'n' -> number = true;
                    case 'q' -> quiet = true;
                    case 'v' -> invert = true;
                    default -> {
                        err.println("grep: unknown option -" + c + " (grep [-i] [-n] [-q] [-v] PATTERN [FILES])");
                        return false;
                    }
                }
            }
        }
        for (; i < argv.length; i++) rest.add(argv[i]);
        if (rest.isEmpty()) {
            err.println("grep: no pattern (grep [-i] [-n] [-q] [-v] PATTERN [FILES])");
            return false;
        }
        Pattern p;
        try {
            p = Pattern.compile(rest.get(0), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        } catch (PatternSyntaxException e) {
            err.println("grep: bad pattern '" + rest.get(0) + "': " + e.getDescription());
            return false;
        }
        boolean any = false;
        List<String> files = rest.subList(1, rest.size());
        if (files.isEmpty()) return scan(in, null, p, number, quiet, invert, out);
        for (String f : files) {
            try (InputStream s = Files.newInputStream(Path.of(f))) {
                any |= scan(s, files.size() > 1 ? f : null, p, number, quiet, invert, out);
            } catch (IOException | java.nio.file.InvalidPathException e) {
                err.println("grep: " + f + ": " + (e instanceof java.nio.file.NoSuchFileException ? "No such file or directory" : e.getMessage()));
            }
        }
        return any;
    }

    private static boolean scan(InputStream in, String name, Pattern p, boolean number, boolean quiet, boolean invert, PrintStream out) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
        boolean any = false;
        int n = 0;
        for (String line; (line = r.readLine()) != null; ) {
            n++;
            if (p.matcher(line).find() == invert) continue;
            any = true;
            if (!quiet) out.println((name == null ? "" : name + ":") + (number ? n + ":" : "") + line);
        }
        return any;
    }
}
