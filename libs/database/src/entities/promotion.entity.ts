import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('promotion')
export class Promotion {
  @PrimaryColumn({ type: 'integer' })
  year!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
