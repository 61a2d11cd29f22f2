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

    /** xl save [-c] DOMAIN FILE [CONFIG]: 0 when saved, 1 when saving failed (the domain then goes on), 2 for bad arguments. */
    static int save(Hypervisor hv, String cwd, List<String> args, PrintStream err) {
        List<String> a = new ArrayList<>();
        boolean checkpoint = false;
        for (String s : args) {
            if (s.equals("-c")) checkpoint = true;
            else a.add(s);
        }
        if (a.size() > 3 || a.size() < 2) return 2;
        if (a.size() == 3) {
            err.println("xl save: a replacement config file is not supported by hvkit yet (the save file carries the domain's own)");
            return 1;
        }
        Integer domid = XlCommand.findDomain(hv, a.get(0), err);
        if (domid == null) return 2;
        String file = a.get(1);
        Path path = resolve(cwd, file);
        if (path == null) {
            err.println("Failed to open temp file " + file + " for writing");
            return 2;
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS), 1 << 20)) {
            long n = hv.saveDomain(domid, out, checkpoint);
            err.println("Saving to " + file + " in hvkit save format " + 1 + " (" + n + " bytes)");
            return 0;
        } catch (HypervisorException e) {
            err.println("libxl: error: " + e.getMessage());
            if (!e.getMessage().startsWith("Failed to save domain")) err.println("Failed to save domain, resuming domain");
            return 1;
        } catch (IOException e) {
            err.println("Failed to open temp file " + file + " for writing: " + e.getMessage());
            return 2;
        }
    }

    /** xl restore [-p] [-c -e -d -F -V -A] [CONFIG] FILE. */
    static int restore(Hypervisor hv, String cwd, List<String> args, PrintStream err) {
        List<String> a = new ArrayList<>();
        boolean paused = false;
        for (String s : args) {
            if (s.equals("-p")) paused = true;
            else if (s.matches("-[cdeFVA]+")) continue; // console, debug, foreground, vnc: nothing to do here
            else a.add(s);
        }
        if (a.size() == 2) {
            err.println("xl restore: a replacement config file is not supported by hvkit yet (the save file carries the domain's own)");
            return 1;
        }
        if (a.size() != 1) return 2;
        String file = a.get(0);
        Path path = resolve(cwd, file);
        if (path == null || !Files.isRegularFile(path)) {
            err.println("xl restore: cannot open " + file + ": " + (path == null ? "bad path" : Files.exists(path) ? "not a plain file" : "no such file"));
            return 1;
        }
        err.println("Loading new save file " + file + " (hvkit save format)");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 20)) {
            DomainInfo d = hv.restoreDomain(in, paused);
            err.println(" Savefile contains domain " + d.name() + ", now domain " + d.id());
            return 0;
        } catch (HypervisorException e) {
            err.println("libxl: error: " + e.getMessage());
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
