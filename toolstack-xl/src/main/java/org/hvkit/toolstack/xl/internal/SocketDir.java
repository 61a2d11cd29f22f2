package org.hvkit.toolstack.xl.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The socket's directory, made safe where {@code HVKIT_SOCKET} or {@code XDG_RUNTIME_DIR} point
 * into a place others can write: never through a symlink, refused when another user owns it or
 * group or others may write it (they could have planted links or a listener of their own in it),
 * else created or tightened to 0700. Once it passes, nothing in it can be someone else's.
 */
final class SocketDir {
    private SocketDir() {
    }

    static void prepare(Path dir) throws IOException {
        prepare(dir, null);
    }

    /** With {@code group}: the directory becomes 0750 of that group, so its members may reach the socket in it. */
    static void prepare(Path dir, String group) throws IOException {
        Path parent = dir.getParent();
        if (parent != null) Files.createDirectories(parent);
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // checked below, without following a link
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) throw new IOException("socket directory " + dir + " is a symbolic link: refused");
        if (!a.isDirectory()) throw new IOException("socket directory " + dir + " is not a directory");
        String me = System.getProperty("user.name");
        if (!a.owner().getName().equals(me)) throw new IOException("socket directory " + dir + " is owned by " + a.owner().getName() + ", not " + me + ": refused");
        Set<PosixFilePermission> p = a.permissions();
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("socket directory " + dir + " is writable by others (" + PosixFilePermissions.toString(p) + "): refused");
        }
        if (group != null) {
            setGroup(dir, group);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        } else {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------")); // only read/search bits go
        }
    }

    static void setGroup(Path p, String group) throws IOException {
        var lookup = p.getFileSystem().getUserPrincipalLookupService();
        java.nio.file.attribute.GroupPrincipal g;
        try {
            g = lookup.lookupPrincipalByGroupName(group);
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new IOException("socket group " + group + ": no such group");
        }
        Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(g);
    }
}
