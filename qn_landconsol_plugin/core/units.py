"""Area units of the trade: m², 亩 (mu) and 公顷 (hectare). 1 亩 = 10000/15 m²."""
from __future__ import annotations

M2_PER_MU = 10000.0 / 15.0
M2_PER_HA = 10000.0
MU_PER_HA = 15.0


def m2_to_mu(m2):
    return m2 / M2_PER_MU


def mu_to_m2(mu):
    return mu * M2_PER_MU


def m2_to_ha(m2):
    return m2 / M2_PER_HA


def mu_to_ha(mu):
    return mu / MU_PER_HA


def ha_to_mu(ha):
    return ha * MU_PER_HA
