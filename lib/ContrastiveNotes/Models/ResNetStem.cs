namespace ContrastiveNotes.Models;

/// <summary>The first layers of a ResNet, chosen for the image size.</summary>
public enum ResNetStem
{
    /// <summary>
    /// 3x3 convolution with stride 1 and no max-pooling, for 32x32 images (CIFAR), as in SimCLR's CIFAR-10
    /// experiments (Chen et al. 2020, arXiv:2002.05709, Appendix B.9).
    /// </summary>
    Cifar,

    /// <summary>7x7 convolution with stride 2 followed by 3x3 max-pooling with stride 2 (He et al. 2015, arXiv:1512.03385), for 224x224 images.</summary>
    ImageNet,
}
