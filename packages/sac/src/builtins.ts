/** The built-in actor kinds, registered when the package is imported. */
import { DiffusionActor, type DiffusionActorOptions } from '@diffcontract/diffusion-actor';
import type { Actor, ActorFactory } from './actor.js';
import { GaussianActor } from './gaussian.js';
import { actors } from './registry.js';

export const diffusionActorFactory: ActorFactory = {
  create: (spec, options = {}): Actor =>
    new DiffusionActor({
      ...(options as Partial<DiffusionActorOptions>),
      stateDim: spec.stateDim,
      actionDim: spec.actionDim,
      seed: spec.seed,
    }),
  load: (artefact) => DiffusionActor.fromArtefact(artefact),
};

export const gaussianActorFactory: ActorFactory = {
  create: (spec, options = {}): Actor =>
    new GaussianActor({ ...options, stateDim: spec.stateDim, actionDim: spec.actionDim, seed: spec.seed }),
  load: (artefact) => GaussianActor.fromArtefact(artefact),
};

if (!actors.has('diffusion')) actors.register('diffusion', diffusionActorFactory);
if (!actors.has('gaussian')) actors.register('gaussian', gaussianActorFactory);
