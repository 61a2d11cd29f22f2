package org.hvkit.toolstack.xl.internal;

import org.hvkit.api.toolstack.HypervisorException;

/**
 * libxl's log lines as 4.2 writes them: LIBXL__LOG (libxl_internal.h) passes __FILE__, __LINE__
 * and __func__ to libxl__logv, whose stdio logger prints {@code libxl: LEVEL: FILE:LINE:FUNCTION: message},
 * then {@code : strerror(errno)} for the _ERRNO forms. Each {@link Site} is the place in stable-4.2's
 * tools/libxl that logs the situation; the line is the one the macro call starts on (GCC's __LINE__
 * in a call that spans lines). Where hvkit refuses something 4.2's libxl does not log, the site is
 * the closest libxl function, at its call into the hypervisor, and says so.
 */
final class LibxlLog {
    /** A LIBXL__LOG call of stable-4.2: its file, first line and function. */
    record Site(String file, int line, String function) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + function;
        }
    }

    // libxl.c
    static final Site DOMAIN_RESUME = new Site("libxl.c", 415, "libxl__domain_resume");
    static final Site DOMAIN_RENAME_EXISTS = new Site("libxl.c", 331, "libxl__domain_rename");
    /** hvkit's other refusals of a name (digits only, control characters): no 4.2 line; the rename's commit. */
    static final Site DOMAIN_RENAME = new Site("libxl.c", 378, "libxl__domain_rename");
    /** A refusal no command has a site for: the domain lookup every xl command starts with. */
    static final Site DOMAIN_INFO = new Site("libxl.c", 586, "libxl_domain_info");
    static final Site DOMAIN_PAUSE = new Site("libxl.c", 807, "libxl_domain_pause");
    static final Site DOMAIN_UNPAUSE = new Site("libxl.c", 860, "libxl_domain_unpause");
    /** 4.2 logs nothing in libxl_domain_shutdown/reboot: their call into libxl__domain_pvcontrol. */
    static final Site DOMAIN_SHUTDOWN = new Site("libxl.c", 943, "libxl_domain_shutdown");
    static final Site DOMAIN_REBOOT = new Site("libxl.c", 952, "libxl_domain_reboot");
    static final Site DESTROY_NO_DOMAIN = new Site("libxl.c", 1388, "libxl__destroy_domid");
    /** A destroy the hypervisor refuses: its first hypercall, xc_domain_pause, fails there. */
    static final Site DESTROY_PAUSE = new Site("libxl.c", 1421, "libxl__destroy_domid");
    /** hvkit's console is read by hypercall, not through a tty in xenstore: the closest is reading the tty path. */
    static final Site CONSOLE_TTY = new Site("libxl.c", 1552, "libxl_console_get_tty");
    static final Site SETMAXMEM = new Site("libxl.c", 3265, "libxl_domain_setmaxmem");
    static final Site SETMAXMEM_XC = new Site("libxl.c", 3270, "libxl_domain_setmaxmem");
    static final Site MEMORY_TARGET_MAX = new Site("libxl.c", 3452, "libxl_set_memory_target");
    static final Site MEMORY_TARGET_DOM0 = new Site("libxl.c", 3460, "libxl_set_memory_target");
    static final Site MEMORY_TARGET_XC = new Site("libxl.c", 3475, "libxl_set_memory_target");
    static final Site VCPU_AFFINITY = new Site("libxl.c", 3946, "libxl_set_vcpuaffinity");
    static final Site VCPU_ONLINE_MAX = new Site("libxl.c", 3983, "libxl_set_vcpuonline");
    /** hvkit's other vcpu-set refusals (the last vCPU offline): no 4.2 line; the function's getinfo failure. */
    static final Site VCPU_ONLINE = new Site("libxl.c", 3976, "libxl_set_vcpuonline");
    static final Site CREDIT_WEIGHT = new Site("libxl.c", 4070, "sched_credit_domain_set");
    static final Site CREDIT_CAP = new Site("libxl.c", 4080, "sched_credit_domain_set");
    static final Site CREDIT_SET = new Site("libxl.c", 4090, "sched_credit_domain_set");
    static final Site CREDIT_TSLICE = new Site("libxl.c", 4123, "libxl_sched_credit_params_set");
    static final Site CREDIT_RATELIMIT = new Site("libxl.c", 4131, "libxl_sched_credit_params_set");
    static final Site CREDIT_RATELIMIT_TSLICE = new Site("libxl.c", 4138, "libxl_sched_credit_params_set");
    static final Site CREDIT_PARAMS = new Site("libxl.c", 4148, "libxl_sched_credit_params_set");
    static final Site CREDIT2_WEIGHT = new Site("libxl.c", 4191, "sched_credit2_domain_set");
    static final Site CREDIT2_SET = new Site("libxl.c", 4200, "sched_credit2_domain_set");
    static final Site CREDIT2_GET = new Site("libxl.c", 4166, "sched_credit2_domain_get");
    static final Site CPUPOOL_CREATE = new Site("libxl.c", 4640, "libxl_cpupool_create");
    static final Site CPUPOOL_DESTROY = new Site("libxl.c", 4712, "libxl_cpupool_destroy");
    static final Site CPUPOOL_CPUADD = new Site("libxl.c", 4786, "libxl_cpupool_cpuadd");
    static final Site CPUPOOL_CPUREMOVE = new Site("libxl.c", 4831, "libxl_cpupool_cpuremove");
    static final Site CPUPOOL_MOVEDOMAIN = new Site("libxl.c", 4886, "libxl_cpupool_movedomain");
    // libxl_create.c
    /** A create the hypervisor refuses (hvkit's checks of the configuration): xc_domain_create's failure. */
    static final Site DOMAIN_MAKE = new Site("libxl_create.c", 437, "libxl__domain_make");
    /** A restore whose stream the hypervisor refuses: 4.2 reports libxc's failure where the restore ends. */
    static final Site DOMAIN_RESTORE = new Site("libxl_create.c", 837, "libxl__xc_domain_restore_done");
    // libxl_dom.c
    static final Site NUMA_PLACED = new Site("libxl_dom.c", 191, "numa_place_domain");
    static final Site DOMAIN_SAVE = new Site("libxl_dom.c", 1306, "libxl__xc_domain_save_done");
    // libxl_numa.c
    static final Site NUMA_TOO_BIG = new Site("libxl_numa.c", 301, "libxl__get_numa_candidate");
    static final Site NUMA_FAILED = new Site("libxl_numa.c", 451, "libxl__get_numa_candidate");
    // libxl_flask.c: no log lines in 4.2; the calls into libxc
    static final Site FLASK_SETENFORCE = new Site("libxl_flask.c", 53, "libxl_flask_setenforce");
    static final Site FLASK_LOADPOLICY = new Site("libxl_flask.c", 63, "libxl_flask_loadpolicy");

    private LibxlLog() {
    }

    /** {@code libxl: error: SITE: message}. */
    static String error(Site at, String message) {
        return "libxl: error: " + at + ": " + message;
    }

    /** {@code libxl: warning: SITE: message}. */
    static String warning(Site at, String message) {
        return "libxl: warning: " + at + ": " + message;
    }

    /** {@code libxl: LEVEL: SITE: message} for xtl's level names (error, warning, notice, detail). */
    static String line(String level, Site at, String message) {
        return "libxl: " + level + ": " + at + ": " + message;
    }

    /**
     * xl mem-set's or mem-max's line. 4.2's formats for these checks end in "\n", so a blank line
     * follows; setmaxmem's is an _ERRNO form whose errno is whatever an earlier call left, not shown.
     */
    static String memory(String cmd, String message) {
        if (message.startsWith("memory_dynamic_max must be less")) return error(MEMORY_TARGET_MAX, message + "\n");
        if (message.startsWith("new target ")) return error(MEMORY_TARGET_DOM0, message + "\n");
        if (message.startsWith("memory_static_max must be greater")) return error(SETMAXMEM, message + "\n");
        return error(cmd.equals("mem-max") ? SETMAXMEM_XC : MEMORY_TARGET_XC, message);
    }

    /** strerror of the errno Xen's hypercall would fail with, for the _ERRNO forms. */
    static String strerror(HypervisorException.Errno e) {
        return switch (e) {
            case EINVAL -> "Invalid argument";
            case ENOENT -> "No such file or directory";
            case EEXIST -> "File exists";
            case EBUSY -> "Device or resource busy";
            case ENOMEM -> "Cannot allocate memory";
            case ENODEV -> "No such device";
            case EPERM -> "Operation not permitted";
            case ESRCH -> "No such process";
            case EAGAIN -> "Resource temporarily unavailable";
            case EACCES -> "Permission denied";
        };
    }
}
