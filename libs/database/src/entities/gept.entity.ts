import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A GEPT group: an MSU lead, six to ten interns, a year. */
@Entity('gept_group')
export class GeptGroup {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'uuid' }) leadId!: string;
  @Column({ type: 'integer' }) year!: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}

@Entity('gept_group_member')
export class GeptGroupMember {
  @PrimaryColumn({ type: 'uuid' }) groupId!: string;
  @PrimaryColumn({ type: 'uuid' }) internId!: string;
  /** The group's year, here too so that an intern is in one group a year (a unique key). */
  @Column({ type: 'integer' }) year!: number;
}

@Entity('gept_meeting')
export class GeptMeeting {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) groupId!: string;
  @Column({ type: 'date' }) heldOn!: string;
  @Column({ type: 'text', array: true, default: () => `'{}'` }) cases!: string[];
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

@Entity('gept_attendance')
export class GeptAttendance {
  @PrimaryColumn({ type: 'uuid' }) meetingId!: string;
  @PrimaryColumn({ type: 'uuid' }) internId!: string;
  @Column({ type: 'boolean' }) present!: boolean;
  @Column({ type: 'uuid' }) markedBy!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) markedAt!: Date;
}
