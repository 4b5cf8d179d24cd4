"""Class vectors that read the names' text embeddings as a prior on the class centres.

A class seen in a few noisy images has a noisy mean: with three images per class and a
weak geometry, the mean's noise is as large as the class's own direction, and the cosine
classifier of the refined labels falls far short of the one of the true labels. The text
tower gives each name one more, independent look at the same centre. How much that look
is worth is measured, not set (an empirical-Bayes estimate over all classes):

* the images: ``x_i = mu + d_c + e_i`` with noise energy ``s_x = E||e_i||^2``, estimated
  from the scatter of the images about their class means under the given weights;
* the names: ``t_c = a d_c + f_c`` (each modality centred on its own mean, which removes
  the gap between the image and the text cone), with the slope ``a`` and the noise energy
  ``s_t = E||f_c||^2`` fitted over the classes, corrected for the noise of the means;
* the posterior mean of ``d_c``: ``(n_c m_c / s_x + a t_c / s_t) / (n_c / s_x + a^2 / s_t)``
  for a class of mean offset ``m_c`` over ``n_c`` images (with soft weights, the effective
  count ``(sum_i w_ic)^2 / sum_i w_ic^2``).

A text tower that does not know the names gives ``a <= 0`` or a large ``s_t``, and the
class means are left as they are. Shapes: ``N`` images, ``C`` names, ``D`` dimensions.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from near_core.knn import normalize
from near_core.sparse_targets import weighted_sums


def posterior_class_means(
    x: np.ndarray, weights: sparse.csr_matrix | np.ndarray, text: np.ndarray | None,
) -> np.ndarray:
    """``(C, D)`` normalised class vectors: the weighted class means of ``x`` drawn toward
    the names' text embeddings as far as the data say the text knows them.

    Args:
        x: ``(N, D)`` L2-normalised image embeddings.
        weights: ``(N, C)`` non-negative class weights of the images (refined targets).
        text: ``(C, D)`` the names' text embeddings in the same space (any norm; centred
            here), or None for the plain weighted class means.
    Returns:
        ``(C, D)`` float32, rows of norm 1 (zero rows for names with no weight and no
        usable text).
    """
    w = sparse.csr_matrix(weights, dtype=np.float32)
    sums = weighted_sums(w, x)  # (C, D)
    plain = normalize(sums)
    n_c = np.asarray(w.sum(axis=0), dtype=np.float64).ravel()
    rows = np.asarray(w.sum(axis=1)).ravel() > 0
    used = n_c >= 1.0  # the statistics read classes of at least one image's weight
    if text is None or rows.sum() < 2 or used.sum() < 2:
        return plain
    n2_c = np.asarray(w.multiply(w).sum(axis=0), dtype=np.float64).ravel()  # sum_i w_ic^2
    # the centre and each image's squared distance to it, without an (N, D) temporary
    mu = weighted_sums(sparse.csr_matrix(rows[:, None], dtype=np.float32), x)[0].astype(
        np.float64) / rows.sum()
    dist = (np.einsum("ij,ij->i", x, x) - 2.0 * (x @ mu.astype(np.float32))
            + float(mu @ mu)).astype(np.float64)
    means = np.zeros(sums.shape, dtype=np.float64)
    some = n_c > 0
    means[some] = sums[some] / n_c[some, None] - mu  # m_c, offsets from the image centre
    # pooled scatter about the class means: sum_ic w_ic ||x_i - mu - m_c||^2
    energy = np.asarray(w.T @ dist).ravel()  # (C,)
    scatter = float((energy[used] - n_c[used] * (means[used] ** 2).sum(axis=1)).sum())
    # E[scatter] = s_x sum_c (n_c - sum_i w_ic^2 / n_c); E||m_c - d_c||^2 = s_x sum_i w_ic^2 / n_c^2
    dof = float((n_c[used] - n2_c[used] / n_c[used]).sum())
    if dof <= 0 or scatter <= 0:
        return plain
    s_x = scatter / dof
    noise_of_mean = s_x * n2_c[used] / n_c[used] ** 2
    signal = float(((means[used] ** 2).sum(axis=1) - noise_of_mean).sum())
    t = np.asarray(text, dtype=np.float64)
    t = t - t.mean(axis=0)
    slope = float((t[used] * means[used]).sum()) / signal if signal > 0 else 0.0
    if slope <= 0:  # no class signal in the means, or a text tower that does not know them
        return plain
    resid = ((t[used] - slope * means[used]) ** 2).sum(axis=1) - slope**2 * noise_of_mean
    s_t = max(float(resid.mean()), 1e-12)
    img = np.divide(n_c**2, s_x * n2_c, out=np.zeros_like(n_c), where=n2_c > 0)
    txt = slope**2 / s_t
    offsets = (img[:, None] * means + (slope / s_t) * t) / (img + txt)[:, None]
    return normalize((mu + offsets).astype(np.float32))
