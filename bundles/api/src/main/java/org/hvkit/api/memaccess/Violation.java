package org.hvkit.api.memaccess;

/**
 * A violating access as the platform saw it.
 *
 * @param vcpu     the vCPU
 * @param gfn      the frame
 * @param offset   the byte offset in the frame
 * @param access   the access tried: bits {@code P2mAccess.READ}, {@code WRITE}, {@code EXEC}
 * @param gla      the guest linear address, or -1 when the platform does not know it
 */
public record Violation(int vcpu, long gfn, int offset, int access, long gla) {
    public boolean glaValid() {
        return gla != -1;
    }
}
