import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { NotFoundError, ValidationError } from '@malipo/common';
import { DarajaSim } from './daraja-sim';
import { SANDBOX_TEST_MSISDN, SCENARIOS, SCENARIO_BY_SUFFIX, type ScenarioSpec } from './scenarios';
import {
  AccountDto,
  CompleteDto,
  CredentialsDto,
  FaultsDto,
  RecordQueryDto,
  ScenarioOverrideDto,
  SettingsDto,
} from './sim-admin.dto';

/** Result codes travel as strings in the admin API; numeric ones become numbers like Daraja's. */
const asResultCode = (code: string): number | string => (/^\d+$/.test(code) ? Number(code) : code);

function checkPhone(phone: string): string {
  if (!/^254[17]\d{8}$/.test(phone)) {
    throw new ValidationError('phone must be 2547XXXXXXXX or 2541XXXXXXXX', { field: 'phone' });
  }
  return phone;
}

/** Test and operator controls; never on Daraja's paths. */
@Controller('sim')
export class SimAdminController {
  constructor(@Inject(DarajaSim) private readonly sim: DarajaSim) {}

  @Get('state')
  state(): Record<string, unknown> {
    return {
      settings: this.sim.settings,
      faults: this.sim.faults,
      accounts: this.sim.listAccounts(),
      scenarioOverrides: this.sim.scenarioOverrides(),
      counts: {
        requests: this.sim.requests().length,
        callbacks: this.sim.callbacks().length,
        transactions: this.sim.listTransactions().length,
      },
    };
  }

  @Post('reset')
  @HttpCode(200)
  reset(): { ok: true } {
    this.sim.reset();
    return { ok: true };
  }

  @Get('scenarios')
  scenarios(): Record<string, unknown> {
    return {
      scenarios: SCENARIOS,
      bySuffix: SCENARIO_BY_SUFFIX,
      sandboxTestNumber: SANDBOX_TEST_MSISDN,
      overrides: this.sim.scenarioOverrides(),
    };
  }

  @Put('scenarios/:phone')
  setScenario(@Param('phone') phone: string, @Body() dto: ScenarioOverrideDto): ScenarioSpec {
    const spec: ScenarioSpec = { ...SCENARIOS[dto.scenario] };
    if (dto.resultCode !== undefined) spec.resultCode = asResultCode(dto.resultCode);
    if (dto.resultDesc !== undefined) spec.resultDesc = dto.resultDesc;
    if (dto.delivery !== undefined) spec.delivery = dto.delivery;
    if (dto.hold !== undefined) spec.hold = dto.hold;
    this.sim.setScenario(checkPhone(phone), spec);
    return spec;
  }

  @Delete('scenarios/:phone')
  clearScenario(@Param('phone') phone: string): { ok: true } {
    this.sim.clearScenario(checkPhone(phone));
    return { ok: true };
  }

  @Get('faults')
  faults(): unknown {
    return this.sim.faults;
  }

  @Put('faults')
  setFaults(@Body() dto: FaultsDto): unknown {
    return this.sim.setFaults(dto);
  }

  @Get('settings')
  settings(): unknown {
    return this.sim.settings;
  }

  @Put('settings')
  setSettings(@Body() dto: SettingsDto): unknown {
    return this.sim.setSettings(dto);
  }

  @Get('accounts')
  accounts(): unknown {
    return this.sim.listAccounts();
  }

  @Post('accounts')
  addAccount(@Body() dto: AccountDto): { ok: true } {
    this.sim.addAccount({ ...dto, tills: dto.tills ?? [] });
    return { ok: true };
  }

  @Post('credentials')
  addCredentials(@Body() dto: CredentialsDto): { ok: true } {
    this.sim.addCredentials(dto.consumerKey, dto.consumerSecret);
    return { ok: true };
  }

  @Post('tokens/expire')
  @HttpCode(200)
  expireTokens(): { expired: number } {
    return { expired: this.sim.expireTokens() };
  }

  @Get('requests')
  requests(@Query() filter: RecordQueryDto): unknown {
    return this.sim.requests(filter);
  }

  @Get('callbacks')
  callbacks(@Query() filter: RecordQueryDto): unknown {
    return this.sim.callbacks(filter);
  }

  @Get('transactions')
  transactions(@Query() filter: RecordQueryDto): unknown {
    return this.sim.listTransactions(filter);
  }

  @Get('transactions/:id')
  transaction(@Param('id') id: string): unknown {
    const txn = this.sim.transaction(id);
    if (!txn) throw new NotFoundError('no such CheckoutRequestID', 'SIM.UNKNOWN_TRANSACTION');
    return txn;
  }

  @Post('transactions/:id/complete')
  @HttpCode(200)
  complete(@Param('id') id: string, @Body() dto: CompleteDto): unknown {
    const result =
      dto.resultCode === undefined
        ? undefined
        : { resultCode: asResultCode(dto.resultCode), resultDesc: dto.resultDesc ?? '' };
    const txn = this.sim.completeNow(id, result);
    if (!txn) throw new NotFoundError('no such CheckoutRequestID', 'SIM.UNKNOWN_TRANSACTION');
    return txn;
  }
}
