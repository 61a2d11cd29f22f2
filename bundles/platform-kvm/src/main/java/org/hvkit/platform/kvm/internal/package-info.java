/** The KVM platform: guests on /dev/kvm through FFM, pCPUs as pinned carrier threads. */
package org.hvkit.platform.kvm.internal;
