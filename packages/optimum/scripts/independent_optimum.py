#!/usr/bin/env python3
"""Independent reference optimum for @diffcontract/optimum's tests.

Writes ../fixtures/independent-optimum.json: held-out markets (drawn here with numpy, not with the
project's sampler) and, for each, the optimal per-ES cloud utility U*/N computed by a method that
shares nothing with the TypeScript solver: scipy's SLSQP (sequential quadratic programming) on the
problem of model.md section 5 written directly in the contract's own variables (q, R) -- the
constraints of section 4 as the quadratic functions R - a q^2 / theta they are, and the objective
with v(q) = beta ln(1 + q) -- from several starting points, keeping the best feasible result.
(The TypeScript solver instead works in x = a q^2 with tangent-cut LPs in HiGHS.) The change of
variables q -> a q^2 is a bijection on q >= 0 under which the problem is convex, so a KKT point of
this nonconvex-looking formulation is the global optimum; the multiple starts guard against SLSQP
stopping early.

Run from the repository root:  python3 packages/optimum/scripts/independent_optimum.py
Requires numpy and scipy (the versions used are recorded in the fixture).
"""

import json
import math
import os
import sys

import numpy as np
import scipy
from scipy.optimize import minimize

SEED = 910_417
OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "independent-optimum.json")


def draw_market(rng, K, delta=None, persistence=None):
    while True:
        theta = np.sort(rng.uniform(0.15, 1.2, K))
        if K == 1 or np.min(np.diff(theta)) >= 0.04:
            break
    prior = rng.dirichlet(np.ones(K)) * (1 - 0.04 * K) + 0.04
    rows = []
    for i in range(K):
        rho = rng.uniform(0.0, 0.95) if persistence is None else persistence
        row = (1 - rho) * rng.dirichlet(np.ones(K))
        row[i] += rho
        rows.append(row)
    return {
        "theta": theta.tolist(),
        "prior": (prior / prior.sum()).tolist(),
        "transition": [(r / r.sum()).tolist() for r in rows],
        "a": float(rng.uniform(0.4, 2.5)),
        "beta": float(rng.uniform(3.0, 20.0)),
        "delta": float(rng.uniform(0.3, 1.0)) if delta is None else delta,
        "qMax": float(rng.choice([10.0, 2.0, 1.0])),
        "esCount": int(rng.integers(1, 20)),
    }


def solve(market, rng, starts=6):
    th = np.array(market["theta"])
    pi = np.array(market["prior"])
    P = np.array(market["transition"])
    a, beta, delta, qmax = market["a"], market["beta"], market["delta"], market["qMax"]
    K = len(th)
    n = K + K * K  # items: period1[i], then period2[i][j] at K + i K + j
    item_type = [i for i in range(K)] + [j for i in range(K) for j in range(K)]
    weight = np.concatenate([pi, (pi[:, None] * delta * P).ravel()])

    def split(z):
        return z[:n], z[n:]

    def u(k, v, q, R):  # stage utility of type k for item v
        return R[v] - a * q[v] ** 2 / th[k]

    def du(k, v):  # gradient of u(k, v) as (dq coefficient function, dR index)
        return v, k

    def p2(i, j):
        return K + i * K + j

    # constraints g(z) >= 0 with analytic Jacobians
    cons = []  # list of (list of (v, k, sign)) : sum sign * u(k, v)
    for i in range(K):
        cons.append([(i, i, 1.0)])  # IR1
    for i in range(K):
        for j in range(K):
            cons.append([(p2(i, j), j, 1.0)])  # IR2
    for i in range(K):
        for j in range(K):
            for jp in range(K):
                if jp != j:
                    cons.append([(p2(i, j), j, 1.0), (p2(i, jp), j, -1.0)])  # IC2
    for i in range(K):
        for ip in range(K):
            if ip == i:
                continue
            terms = [(i, i, 1.0), (ip, i, -1.0)]
            for j in range(K):
                c = delta * P[i, j]
                if c != 0.0:
                    terms.append((p2(i, j), j, c))
                    terms.append((p2(ip, j), j, -c))
            cons.append(terms)  # IIC, sigma = identity

    def g(z):
        q, R = split(z)
        return np.array([sum(s * u(k, v, q, R) for v, k, s in terms) for terms in cons])

    def g_jac(z):
        q, _ = split(z)
        J = np.zeros((len(cons), 2 * n))
        for r, terms in enumerate(cons):
            for v, k, s in terms:
                J[r, v] += s * (-2.0 * a * q[v] / th[k])
                J[r, n + v] += s
        return J

    def f(z):  # minimise -U/N
        q, R = split(z)
        return -float(np.sum(weight * (beta * np.log1p(q) - R)))

    def f_grad(z):
        q, _ = split(z)
        return np.concatenate([-weight * beta / (1.0 + q), weight])

    bounds = [(0.0, qmax)] * n + [(0.0, None)] * n
    best = None
    for s in range(starts):
        # start: a monotone allocation with rewards that satisfy IR with room to spare
        scale = rng.uniform(0.05, 1.0)
        q0 = np.array([min(qmax, scale * qmax * (item_type[v] + 1) / (K + 1)) for v in range(n)])
        R0 = np.array([a * q0[v] ** 2 / th[0] + 0.1 for v in range(n)])
        res = minimize(
            f,
            np.concatenate([q0, R0]),
            jac=f_grad,
            method="SLSQP",
            bounds=bounds,
            constraints=[{"type": "ineq", "fun": g, "jac": g_jac}],
            options={"ftol": 1e-15, "maxiter": 2000},
        )
        viol = float(max(0.0, -np.min(g(res.x))))
        if viol > 1e-9:
            continue
        if best is None or res.fun < best[0]:
            best = (res.fun, res.x, viol)
    if best is None:
        raise RuntimeError("no feasible SLSQP result")
    fun, z, viol = best
    q, R = split(z)
    return {"perES": -fun, "maxViolation": viol, "q": q.tolist()}


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    for _ in range(8):
        cases.append(draw_market(rng, 3))
    for _ in range(3):
        cases.append(draw_market(rng, 2))
    for _ in range(3):
        cases.append(draw_market(rng, 4))
    cases.append(draw_market(rng, 3, delta=0.0))
    cases.append(draw_market(rng, 3, persistence=0.0))  # independent types: rows = Dirichlet draws
    cases.append(draw_market(rng, 3, delta=1.0, persistence=0.95))
    cases.append(draw_market(rng, 1))
    out = []
    for market in cases:
        result = solve(market, rng)
        out.append({"market": market, **result})
        print(f"K={len(market['theta'])} perES={result['perES']:.12g} viol={result['maxViolation']:.1e}", file=sys.stderr)
    doc = {
        "generator": "packages/optimum/scripts/independent_optimum.py",
        "method": "scipy.optimize.minimize SLSQP in (q, R), ftol 1e-15, best of 6 starts",
        "seed": SEED,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "cases": out,
    }
    with open(OUT + ".tmp", "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    os.replace(OUT + ".tmp", OUT)


if __name__ == "__main__":
    main()
