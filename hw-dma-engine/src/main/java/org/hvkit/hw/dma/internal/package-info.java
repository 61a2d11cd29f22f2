/** The DMA engine device model (docs/dma-engine.md) and the component that registers its instances. */
package org.hvkit.hw.dma.internal;
