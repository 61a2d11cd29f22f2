package org.hvkit.api.memaccess;

import org.hvkit.api.p2m.P2m;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One domain's enforcement as the attached handler drives it; implemented by the platform. Every
 * method may be called from any thread, including machine context (the handler's own calls) and
 * the mem-access bundle's threads: the platform enters machine context itself when it must, and
 * never makes a caller in machine context wait for another thread.
 */
@ConsumerType
public interface AccessEnforcement extends AutoCloseable {
    int domainId();

    /** The domain's vCPU count (Xen's {@code max_vcpus}, for the ring's flow control). */
    int vcpus();

    /** The domain's p2m; setting an access there is enforced before {@code setAccess} returns. */
    P2m p2m();

    /**
     * Lets vCPU {@code vcpu}, held by a {@link Verdict#PAUSE}, go on. With {@code completeOnce}
     * its held access is carried out once whatever the page's access (KVM: emulated from the exit
     * data, or unprotect, step, protect); without, the access is tried again against the p2m, so
     * it may violate again. No-op for a vCPU that is not held, or after the domain is gone.
     */
    void resume(int vcpu, boolean completeOnce);

    /** Crashes the domain (Xen's {@code domain_crash}); {@code reason} goes to {@code xl dmesg}. */
    void crash(String reason);

    /** A line about the domain for {@code xl dmesg}. */
    void log(String line);

    /**
     * Detaches the handler: vCPUs still held are resumed (access tried again, now under the
     * no-handler rule) and no handler call follows once this returns. Idempotent.
     */
    @Override
    void close();
}
