import { Body, Controller, Get, Param, Patch, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminGuard, type AuthUser, CurrentUser, JwtAuthGuard } from '@app/auth';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { CanonicalUuidPipe } from '../common/canonical-uuid.pipe.js';
import { AdminUserDto, AdminUserListDto, AdminUsersQueryDto, UpdateAdminUserDto } from './admin.dto.js';
import { AdminService } from './admin.service.js';

/** Accounts, for admins only: anonymous callers get 401, other users 403. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard, AdminGuard)
@Controller('admin/users')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  @ApiOperation({ summary: 'Every account, oldest first, with its usage' })
  @ApiOkResponse({ type: AdminUserListDto })
  @ApiErrors(400, 401, 403)
  list(@Query() query: AdminUsersQueryDto): Promise<AdminUserListDto> {
    return this.admin.list(query);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change an account's role, disabled flag or quotas (null resets a quota to the default)" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(400, 401, 403, 404, 409, 413, 415)
  update(
    @CurrentUser() caller: AuthUser,
    @Param('id', new CanonicalUuidPipe('User not found')) id: string,
    @Body() dto: UpdateAdminUserDto,
  ): Promise<AdminUserDto> {
    return this.admin.update(caller.id, id, dto);
  }
}
