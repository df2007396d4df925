import { Body, Controller, Delete, Get, HttpCode, Ip, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, JwtAuthGuard, TokenService } from '@app/auth';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { AuthResponseDto, DeleteMeDto, LoginDto, MeDto, RefreshTokenDto, RegisterDto, TokenPairDto, UpdateMeDto, UserDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
  ) {}

  @Post('register')
  @ApiOperation({ summary: 'Create an account and sign in' })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiErrors(400, 409, 413, 415, 429)
  register(@Body() dto: RegisterDto, @Ip() ip: string): Promise<AuthResponseDto> {
    return this.auth.register(dto, ip);
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiErrors(400, 401, 403, 413, 415, 429)
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<AuthResponseDto> {
    return this.auth.login(dto, ip);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Trade a refresh token for a new pair (single use; reuse revokes the sign-in)' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401, 403, 413, 415)
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenPairDto> {
    return this.tokens.rotate(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a refresh token and every token rotated from the same sign-in' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrors(400, 401, 413, 415)
  async logout(@Body() dto: RefreshTokenDto): Promise<void> {
    await this.tokens.revokeFamily(dto.refreshToken);
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user, with their video usage and the limits that apply to them' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors(401, 429)
  me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    return this.auth.me(user.id);
  }

  @Patch('me')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change the password (with currentPassword; signs out every session), the username or the avatar',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 409, 413, 415)
  updateMe(@CurrentUser() user: AuthUser, @Body() dto: UpdateMeDto): Promise<UserDto> {
    return this.auth.updateMe(user.id, dto);
  }

  @Delete('me')
  @HttpCode(204)
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete the account: its videos (jobs, files, rows) and tokens go' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 401, 403, 413, 415)
  async deleteMe(@CurrentUser() user: AuthUser, @Body() dto: DeleteMeDto): Promise<void> {
    await this.auth.deleteMe(user.id, dto);
  }
}
