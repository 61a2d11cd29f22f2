package org.hvkit.hw.cpu.intel.internal;

import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/** The Nehalem model as a service: {@code (hvkit.cpu.model=Nehalem)}. */
@Component(service = CpuModel.class, property = IntelCpuModel.MODEL_PROPERTY + "=Nehalem")
public final class NehalemModel extends IntelCpuModel {
    public NehalemModel() {
        super(IntelModels.spec("Nehalem"));
    }
}
