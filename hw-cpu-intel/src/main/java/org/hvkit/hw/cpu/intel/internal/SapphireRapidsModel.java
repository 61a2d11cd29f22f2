package org.hvkit.hw.cpu.intel.internal;

import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/** The SapphireRapids model as a service: {@code (hvkit.cpu.model=SapphireRapids)}. */
@Component(service = CpuModel.class, property = IntelCpuModel.MODEL_PROPERTY + "=SapphireRapids")
public final class SapphireRapidsModel extends IntelCpuModel {
    public SapphireRapidsModel() {
        super(IntelModels.spec("SapphireRapids"));
    }
}
