package org.hvkit.hw.cpu.intel.internal;

import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/** The Haswell model as a service: {@code (hvkit.cpu.model=Haswell)}. */
@Component(service = CpuModel.class, property = IntelCpuModel.MODEL_PROPERTY + "=Haswell")
public final class HaswellModel extends IntelCpuModel {
    public HaswellModel() {
        super(IntelModels.spec("Haswell"));
    }
}
