package org.hvkit.toolstack.xl.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;

/**
 * xl save and xl restore (4.2 main_save / save_domain, main_restore): the file is hvkit's save
 * format (docs/save-format.md), read and written by the core; paths are the client's.
 */
final class SaveCommands {
    private SaveCommands() {
    }

    /** 4.2's exit(2) after "Unable to get config file": status 2 without the usage text. */
    static final int NO_CONFIG = -2;

    /** xl save [-c] DOMAIN FILE [CONFIG]: 0 when saved, 1 when saving failed (the domain then goes on), 2 for bad arguments. */
    static int save(Hypervisor hv, String cwd, List<String> args, PrintStream err) {
        List<String> a = new ArrayList<>();
        boolean checkpoint = false, options = true;
        for (String s : args) {
            if (options && s.equals("--")) options = false; // DefGetopt's end of options
            else if (options && s.equals("-c")) checkpoint = true;
            else a.add(s);
        }
        if (a.size() > 3 || a.size() < 2) return 2;
        Integer domid = XlCommand.findDomain(hv, a.get(0), err);
        if (domid == null) return 2;
        org.hvkit.api.domain.DomainConfig replacement = null;
        if (a.size() == 3) { // 4.2 save_domain_core_begin: the file's text goes instead of the domain's stored config
            String text;
            try {
                text = ConfigFile.read(cwd, a.get(2));
            } catch (IOException e) {
                err.println("Unable to get config file");
                return NO_CONFIG;
            }
            if (text.isEmpty()) {
                // 4.2 then writes no config at all; hvkit's format always carries one, so the domain's own goes
                err.println(" Savefile will not contain xl domain config");
            } else {
                try {
                    replacement = ReplacementConfig.parse(hv, a.get(2), text, err);
                } catch (ReplacementConfig.Invalid e) {
                    return 1;
                }
            }
        }
        String file = a.get(1);
        Path path = resolve(cwd, file);
        if (path == null) {
            err.println("Failed to open temp file " + file + " for writing");
            return 2;
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS), 1 << 20)) {
            long n = hv.saveDomain(domid, replacement, out, checkpoint);
            err.println("Saving to " + file + " in hvkit save format " + 1 + " (" + n + " bytes)");
            return 0;
        } catch (HypervisorException e) {
            err.println(LibxlLog.error(LibxlLog.DOMAIN_SAVE, e.getMessage()));
            if (!e.getMessage().startsWith("Failed to save domain")) err.println("Failed to save domain, resuming domain");
            return 1;
        } catch (IOException e) {
            err.println("Failed to open temp file " + file + " for writing: " + e.getMessage());
            return 2;
        }
    }

    /**
     * A refused restore as 4.2 says it: the magic number is xl's own check (xl_cmdimpl.c's
     * restore_domain prints it bare), a name in use is libxl__domain_rename's, the rest is the
     * restore's end in libxl.
     */
    static String restoreLine(HypervisorException e) {
        String m = e.getMessage();
        if (m.startsWith("File has wrong magic number")) return m; // xl_cmdimpl.c's restore_domain, not libxl
        if (m.endsWith(" already exists.")) return LiveCommands.renameLine(e);
        return LibxlLog.error(LibxlLog.DOMAIN_RESTORE, m);
    }

    /** xl restore [-p] [-c -e -d -F -V -A] [CONFIG] FILE. */
    static int restore(Hypervisor hv, String cwd, List<String> args, PrintStream out, PrintStream err) {
        List<String> a = new ArrayList<>();
        boolean paused = false, options = true;
        for (String s : args) {
            if (options && s.equals("--")) options = false; // getopt's end of options
            else if (options && s.startsWith("-") && s.length() > 1) { // getopt_long("FhcpdeVA") skips the rest silently
                if (!s.startsWith("--") && s.indexOf('h') > 0) return 2; // main_restore: case 'h': help("restore"); return 2;
                if (!s.startsWith("--")) paused |= s.indexOf('p') > 0; // console, debug, foreground, vnc: nothing to do here
            } else a.add(s);
        }
        if (a.size() != 1 && a.size() != 2) return 2;
        String file = a.getLast();
        String configFile = a.size() == 2 ? a.getFirst() : null;
        Path path = resolve(cwd, file);
        if (path == null || !Files.isRegularFile(path)) {
            err.println("xl restore: cannot open " + file + ": " + (path == null ? "bad path" : Files.exists(path) ? "not a plain file" : "no such file"));
            return 1;
        }
        err.println("Loading new save file " + file + " (hvkit save format)");
        org.hvkit.api.domain.DomainConfig replacement = null;
        if (configFile != null) { // 4.2 create_domain: the config file replaces the one in the save file
            String text;
            try {
                text = configFile.equals("/dev/null") ? "" : ConfigFile.read(cwd, configFile);
            } catch (IOException e) {
                err.println("Failed to read config file: " + configFile + ": " + e.getMessage());
                return 3; // ERROR_FAIL
            }
            out.println("Parsing config from " + configFile);
            try {
                replacement = ReplacementConfig.parse(hv, configFile, text, err);
            } catch (ReplacementConfig.Invalid e) {
                return 1;
            }
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 20)) {
            DomainInfo d = hv.restoreDomain(in, paused, replacement);
            err.println(" Savefile contains domain " + d.name() + ", now domain " + d.id());
            return 0;
        } catch (HypervisorException e) {
            err.println(restoreLine(e));
            return 3;
        } catch (IOException e) {
            err.println("xl restore: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
    }

    private static Path resolve(String cwd, String file) {
        try {
            return Path.of(cwd).resolve(file);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
