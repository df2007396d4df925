import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum UserRole {
  User = 'user',
  Admin = 'admin',
}

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased; a unique index on lower(email) keeps it case-insensitive. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 32 })
  username: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 100, select: false })
  passwordHash: string;

  @Column({ name: 'avatar_url', type: 'text', nullable: true })
  avatarUrl: string | null;

  @Column({ type: 'varchar', length: 16, default: UserRole.User })
  role: UserRole;

  /** Set by an admin: a disabled account cannot sign in or refresh, and its tokens stop at once. */
  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** Videos not yet finished at once; null: the deployment's QUOTA_CONCURRENT_VIDEOS. */
  @Column({ name: 'quota_concurrent', type: 'integer', nullable: true })
  quotaConcurrent: number | null;

  /** Videos per rolling 24 h; null: the deployment's QUOTA_DAILY_VIDEOS. */
  @Column({ name: 'quota_daily', type: 'integer', nullable: true })
  quotaDaily: number | null;

  /** Access tokens issued before this instant are refused (password change, disable). */
  @Column({ name: 'tokens_valid_after', type: 'timestamptz', nullable: true })
  tokensValidAfter: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
