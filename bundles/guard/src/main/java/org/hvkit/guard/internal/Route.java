package org.hvkit.guard.internal;

import java.lang.classfile.Opcode;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;

/**
 * One JDK method the guard redirects, and the helper that takes its place in a woven class.
 *
 * <p>{@link Kind#REFUSE} routes end the JVM themselves: their helper always refuses.
 * {@link Kind#CHECK} routes reach a method chosen at run time (reflection, method handles): their
 * helper looks at the target first, refuses it when it is one of the {@link #FATAL} members or
 * one of these reflective entry points themselves (so that no second reflective step gets
 * round the check), and otherwise makes the original call.
 */
enum Route {
    SYSTEM_EXIT(Kind.REFUSE, Opcode.INVOKESTATIC, "java/lang/System", "exit", "(I)V", "System.exit"),
    RUNTIME_EXIT(Kind.REFUSE, Opcode.INVOKEVIRTUAL, "java/lang/Runtime", "exit", "(I)V", "Runtime.exit"),
    RUNTIME_HALT(Kind.REFUSE, Opcode.INVOKEVIRTUAL, "java/lang/Runtime", "halt", "(I)V", "Runtime.halt"),
    /** Raising SIGTERM, SIGINT or SIGHUP on the own process shuts the JVM down. */
    SIGNAL_RAISE(Kind.REFUSE, Opcode.INVOKESTATIC, "sun/misc/Signal", "raise", "(Lsun/misc/Signal;)V", "sun.misc.Signal.raise"),
    METHOD_INVOKE(Kind.CHECK, Opcode.INVOKEVIRTUAL, "java/lang/reflect/Method", "invoke",
            "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", "Method.invoke"),
    FIND_STATIC(Kind.CHECK, Opcode.INVOKEVIRTUAL, "java/lang/invoke/MethodHandles$Lookup", "findStatic",
            "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;", "MethodHandles.Lookup.findStatic"),
    FIND_VIRTUAL(Kind.CHECK, Opcode.INVOKEVIRTUAL, "java/lang/invoke/MethodHandles$Lookup", "findVirtual",
            "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;", "MethodHandles.Lookup.findVirtual"),
    BIND(Kind.CHECK, Opcode.INVOKEVIRTUAL, "java/lang/invoke/MethodHandles$Lookup", "bind",
            "(Ljava/lang/Object;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;", "MethodHandles.Lookup.bind"),
    UNREFLECT(Kind.CHECK, Opcode.INVOKEVIRTUAL, "java/lang/invoke/MethodHandles$Lookup", "unreflect",
            "(Ljava/lang/reflect/Method;)Ljava/lang/invoke/MethodHandle;", "MethodHandles.Lookup.unreflect"),
    // Stopping, updating or uninstalling the system bundle ends the launcher's JVM; doing it to the
    // guard turns weaving off for every class loaded afterwards.
    BUNDLE_STOP(Kind.LIFECYCLE, Opcode.INVOKEINTERFACE, Owners.BUNDLE, "stop", "()V", "Bundle.stop"),
    BUNDLE_STOP_OPTIONS(Kind.LIFECYCLE, Opcode.INVOKEINTERFACE, Owners.BUNDLE, "stop", "(I)V", "Bundle.stop"),
    BUNDLE_UPDATE(Kind.LIFECYCLE, Opcode.INVOKEINTERFACE, Owners.BUNDLE, "update", "()V", "Bundle.update"),
    BUNDLE_UPDATE_STREAM(Kind.LIFECYCLE, Opcode.INVOKEINTERFACE, Owners.BUNDLE, "update", "(Ljava/io/InputStream;)V", "Bundle.update"),
    BUNDLE_UNINSTALL(Kind.LIFECYCLE, Opcode.INVOKEINTERFACE, Owners.BUNDLE, "uninstall", "()V", "Bundle.uninstall"),
    FRAMEWORK_STOP(Kind.LIFECYCLE, Opcode.INVOKEINTERFACE, Owners.FRAMEWORK, "stop", "()V", "Framework.stop"),
    FRAMEWORK_STOP_OPTIONS(Kind.LIFECYCLE, Opcode.INVOKEINTERFACE, Owners.FRAMEWORK, "stop", "(I)V", "Framework.stop"),
    FRAMEWORK_UPDATE(Kind.LIFECYCLE, Opcode.INVOKEINTERFACE, Owners.FRAMEWORK, "update", "()V", "Framework.update"),
    FRAMEWORK_UPDATE_STREAM(Kind.LIFECYCLE, Opcode.INVOKEINTERFACE, Owners.FRAMEWORK, "update", "(Ljava/io/InputStream;)V", "Framework.update"),
    FRAMEWORK_UNINSTALL(Kind.LIFECYCLE, Opcode.INVOKEINTERFACE, Owners.FRAMEWORK, "uninstall", "()V", "Framework.uninstall");

    /** REFUSE: always refused; CHECK: refused for a target in {@link #FATAL}; LIFECYCLE: refused on the system bundle or the guard. */
    enum Kind { REFUSE, CHECK, LIFECYCLE }

    /** The guard's own symbolic name, protected from a plugin's lifecycle calls. */
    static final String GUARD_BSN = "org.hvkit.guard";

    /**
     * What a reflective or method-handle route must never reach, as {@code Class.getName() + "." + name}:
     * the members that end the JVM and the reflective entry points themselves.
     */
    static final List<String> FATAL = fatal();

    /** Owners used by several routes (an enum's constants cannot refer to its own static fields). */
    private static final class Owners {
        static final String BUNDLE = "org/osgi/framework/Bundle";
        static final String FRAMEWORK = "org/osgi/framework/launch/Framework";
    }

    final Kind kind;
    final Opcode opcode;
    final String owner;
    final String name;
    final String descriptor;
    final String label;
    /** The helper's name in the woven class. */
    final String helperName;
    /** The helper's type: a virtual call's receiver becomes the first parameter. */
    final MethodTypeDesc helperType;
    /** The original call goes to an interface method. */
    final boolean isInterfaceOwner;

    Route(Kind kind, Opcode opcode, String owner, String name, String descriptor, String label) {
        this.kind = kind;
        this.opcode = opcode;
        this.owner = owner;
        this.name = name;
        this.descriptor = descriptor;
        this.label = label;
        this.helperName = "hvkit$guard$" + name();
        MethodTypeDesc original = MethodTypeDesc.ofDescriptor(descriptor);
        this.helperType = opcode == Opcode.INVOKESTATIC ? original : original.insertParameterTypes(0, ownerDesc());
        this.isInterfaceOwner = opcode == Opcode.INVOKEINTERFACE;
    }

    ClassDesc ownerDesc() {
        return ClassDesc.ofInternalName(owner);
    }

    /** The route a method reference names, or null: owner in internal form, descriptor as in the class file. */
    static Route of(String owner, String name, String descriptor) {
        for (Route r : values()) {
            if (r.owner.equals(owner) && r.name.equals(name) && r.descriptor.equals(descriptor)) return r;
        }
        return null;
    }

    private static List<String> fatal() {
        List<String> f = new ArrayList<>(List.of("java.lang.System.exit", "java.lang.Runtime.exit", "java.lang.Runtime.halt", "sun.misc.Signal.raise"));
        for (Route r : values()) {
            if (r.kind == Kind.CHECK) f.add(r.owner.replace('/', '.') + "." + r.name);
        }
        return List.copyOf(f);
    }
}
