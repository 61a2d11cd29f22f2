package org.hvkit.hw.cpu.intel.internal;

import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/** The Westmere model as a service: {@code (hvkit.cpu.model=Westmere)}. */
@Component(service = CpuModel.class, property = IntelCpuModel.MODEL_PROPERTY + "=Westmere")
public final class WestmereModel extends IntelCpuModel {
    public WestmereModel() {
        super(IntelModels.spec("Westmere"));
    }
}
