import { listAwsProfiles } from '../services/bedrock';
import type { Services } from '../services';
import type { DomainHandlers, EmitEvent } from './types';

export function settingsHandlers(services: Services, emit: EmitEvent): DomainHandlers<'settings'> {
  return {
    'settings:get': async () => services.settings.get(),
    'settings:save': async (input) => {
      const saved = services.settings.save(input);
      emit('settings:changed', saved);
      return saved;
    },
    // Names only: listAwsProfiles reads section headers, never keys or tokens.
    'settings:profiles': async () => listAwsProfiles(),
  };
}

export function bedrockHandlers(services: Services): DomainHandlers<'bedrock'> {
  return {
    'bedrock:test-connection': async ({ settings }) => services.bedrock.testConnection(settings),
  };
}
