import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig, Public, UnauthenticatedError, hashApiKey, type TenantId } from '@malipo/common';
import { TenantsRepository, TerminalsRepository } from '@malipo/db';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { ConsoleSessionStore } from './console-session.store';
import { principalOf, type AuthenticatedRequest } from './current-principal.decorator';
import type { Principal } from './principal';
import { Roles } from './roles.decorator';
import { SessionAudit } from './session-audit';
import { serializeSessionCookie } from './session-cookie';
import { SessionView, SignInDto } from './session.dto';

/** The console signs in with an API key and from then on holds only an HttpOnly session cookie. */
@ApiTags('session')
@Controller('v1/session')
export class SessionController {
  constructor(
    private readonly keys: ApiKeyAuthenticator,
    private readonly sessions: ConsoleSessionStore,
    private readonly tenants: TenantsRepository,
    private readonly terminals: TerminalsRepository,
    private readonly config: AppConfig,
    private readonly audit: SessionAudit,
  ) {}

  @Post()
  @Public()
  @HttpCode(201)
  @ApiOperation({ summary: 'Exchange an API key for a console session cookie' })
  @ApiResponse({ status: 201, type: SessionView })
  @ApiResponse({ status: 401, description: 'AUTH.UNAUTHENTICATED: unknown or revoked key' })
  async signIn(
    @Body() body: SignInDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionView> {
    const principal = await this.keys.authenticate(body.apiKey);
    if (!principal) throw new UnauthenticatedError('Invalid or revoked API key');
    const { id, session } = await this.sessions.open(hashApiKey(body.apiKey), principal.keyId);
    await this.audit.signedIn(request, principal);
    this.setCookie(reply, id, this.config.CONSOLE_SESSION_IDLE_SECONDS);
    return this.viewOf(principal, session.csrf);
  }

  @Get()
  @Roles('terminal', 'owner', 'ops')
  @ApiOperation({ summary: 'Who this session (or key) is' })
  @ApiResponse({ status: 200, type: SessionView })
  async current(@Req() request: AuthenticatedRequest): Promise<SessionView> {
    return this.viewOf(principalOf(request), request.consoleSession?.csrf ?? null);
  }

  @Delete()
  @HttpCode(204)
  @Roles('terminal', 'owner', 'ops')
  @ApiOperation({ summary: 'Sign out: the session ends and its cookie is cleared' })
  async signOut(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    // A key without a session has nothing to end, so nothing to record.
    if (request.consoleSession) {
      await this.sessions.end(request.consoleSession.id);
      await this.audit.signedOut(principalOf(request));
    }
    this.setCookie(reply, '', 0);
  }

  private setCookie(reply: FastifyReply, value: string, maxAge: number): void {
    // Outside development the cookie is Secure; browsers accept it on http://127.0.0.1 and localhost.
    const secure = this.config.NODE_ENV !== 'development';
    void reply.header('set-cookie', serializeSessionCookie(value, { secure, maxAge }));
  }

  private async viewOf(principal: Principal, csrfToken: string | null): Promise<SessionView> {
    const tenant = principal.tenantId ? await this.tenants.findById(principal.tenantId) : undefined;
    const terminal =
      principal.tenantId && principal.terminalId
        ? await this.terminals.findById(principal.tenantId as TenantId, principal.terminalId)
        : undefined;
    return {
      role: principal.role,
      tenantId: principal.tenantId,
      terminalId: principal.terminalId,
      shopName: tenant?.name ?? null,
      terminalName: terminal?.name ?? null,
      csrfToken,
    };
  }
}
